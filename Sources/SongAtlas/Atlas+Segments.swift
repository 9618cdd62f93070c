import AudioDecoding
import Clustering
import Export
import FilePaths
import Features
import Foundation
import Library
import Synchronization

/// What `segment PATH... --out DIR` asks for besides the segmenter: the label format, plots, and limits.
public struct SegmentRunRequest: Sendable {
    /// How every track is segmented (method, section length, highlight).
    public var segmenter = TrackSegmenter()
    /// The format of each track's label file; default Audacity labels (`Song.txt`).
    public var format = SegmentFormat.audacity
    /// Also write each track's plot in this form; nil for none.
    public var plot: SegmentPlotKind?
    /// Analyse only this many seconds from the middle of each track; nil for the whole track.
    public var excerptSeconds: Double?
    /// Give up on a file after this many seconds of decoding and feature work; nil for no limit.
    public var timeLimitSeconds: Double?
    /// Worker threads; nil for the number of cores.
    public var jobs: Int?
    /// Split the files cue sheets describe into their tracks, and segment each track (``CueSongScan``);
    /// false (`--ignore-cue`) segments every file whole. Default true.
    public var readCueSheets = true

    public init() {}
}

/// The form of a segment plot file.
public enum SegmentPlotKind: String, CaseIterable, Sendable {
    /// An HTML page with the picture and a table of the sections.
    case html
    /// The picture alone.
    case svg
}

/// What one `segment PATH... --out DIR` run did.
public struct SegmentRun: Sendable {
    /// The run's `sections.json`: every track's files and segmentation, and the files that failed.
    public var document: SegmentRunDocument
    /// What the commit did besides putting the files in place (files of an earlier run removed or kept).
    public var commit: OutputSet.CommitReport
    /// Files in the scanned folders that are not audio, counted by extension.
    public var otherFiles: OtherFiles
    /// The cue sheets that could not be used (their files were segmented whole).
    public var sheetProblems: [CueSheetError] = []
}

/// Why a `segment PATH...` run wrote nothing.
public enum SegmentRunError: Error, CustomStringConvertible, Equatable {
    /// No file of the run could be segmented; the output folder was left as it was.
    case noTracks(failures: Int)
    /// The run was cancelled before every file was segmented; nothing was written.
    case cancelled

    public var description: String {
        switch self {
        case let .noTracks(failures): "no file could be segmented (\(failures) failed); nothing was written"
        case .cancelled: "cancelled; nothing was written"
        }
    }
}

extension Atlas {
    /// Segments many files and folders (searched recursively) in parallel and writes, as one output set,
    /// one label file per track, one plot per track when asked for, and `sections.json` for the run.
    ///
    /// Each track's files are named by ``SegmentOutputNames`` (`Song.flac` → `Song.txt`, tracks sharing a
    /// name told apart by their folders; track 3 of a cue sheet in `Album.flac` → `Album - 03.txt`). Songs
    /// are found as every scanning command finds them (``CueSongScan/scan(_:readCueSheets:)``): a file a
    /// cue sheet describes is segmented track by track, each over its own range, and `FILE.cue#3` or
    /// `FILE.flac#3` is that one track; a cue track's times count from its start and its documents say
    /// which track it is (``SegmentationDocument/cueTrack``). Every track is decoded once, on its own worker: the frame
    /// columns the segmenter compares are kept from the decode that also computes the song summary
    /// (``FeatureExtractor/summarize(path:decodeOptions:embedding:keepingColumns:)``); a track's files equal
    /// what ``segment(path:segmenter:excerptSeconds:timeLimitSeconds:cancellation:)`` gives it alone. With a
    /// `cache`, each track the cache has no current entry for gets its summary stored (a free by-product of
    /// the decode; a store that fails is skipped), so a later `playlists` of the same files decodes only for
    /// an embedding; segmentation itself needs frame features, which the cache does not keep, so every
    /// track is decoded. A file that cannot be segmented is listed in `sections.json` and the rest go on.
    ///
    /// The set is written whole or not at all (``OutputSet``): its names are checked before any work,
    /// every file is staged as its track finishes, and the commit puts them all in place with a manifest.
    ///
    /// - Parameters:
    ///   - paths: files, folders and cue tracks.
    ///   - request: segmenter, label format, plots, excerpt, time limit and threads.
    ///   - folder: the output folder (created if missing); its set is named `segments`.
    ///   - rules: what the set may replace (``OutputRules``); default only files of this set SongAtlas wrote.
    ///   - cache: the feature cache to store summaries in, or nil.
    ///   - progress: called after each file.
    ///   - cancellation: stops after the files in flight; nothing is written then.
    ///   - waiting: called once if another run holds the folder's lock.
    /// - Returns: the run's document and what the commit did.
    /// - Throws: ``OutputError`` when the set cannot be written (a foreign file at one of its names, a full
    ///   disk), ``SegmentRunError`` when nothing could be segmented or the run was cancelled; in every case the
    ///   output folder is as it was.
    public static func segment(
        paths: [String], request: SegmentRunRequest, to folder: String, rules: OutputRules = OutputRules(),
        cache: FeatureCache? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never,
        waiting: ((String) -> Void)? = nil
    ) throws -> SegmentRun {
        let set = try OutputSet(folder: folder, name: "segments", rules: rules)
        let songScan = CueSongScan.scan(paths, readCueSheets: request.readCueSheets)
        let scan = songScan.scan
        let songs = songScan.songs
        let baseNames = SegmentOutputNames.baseNames(songs.map { ($0.path, $0.cueTrack?.trackNumber) })
        let labelNames = baseNames.map { $0 + "." + request.format.fileExtension }
        let plotNames = baseNames.map { name in request.plot.map { name + "." + $0.rawValue } }
        try set.check(labelNames + plotNames.compactMap { $0 } + [SegmentOutputNames.runFileName])

        let staging = Mutex<(set: OutputSet, firstError: OutputError?, tracks: [SegmentRunDocument.Track],
                             errors: [SegmentRunDocument.Failure])>(
            (set, nil, [], scan.problems.map { .init(path: $0.path, error: $0.reason) }))
        let segmenter = request.segmenter
        // Only tracks the cache has no current entry for are stored: an entry that is current may hold
        // embeddings this run does not compute, and must not lose them.
        let cached = (try? cache?.loadAll()) ?? [:]
        let cachedTracks = songs.contains { $0.cueTrack != nil } ? ((try? cache?.loadCueTracks()) ?? [:]) : [:]
        let keys: [CacheKey?] = songs.map { song in
            guard cache != nil, let key = CacheKey.current(song: song, excerptSeconds: request.excerptSeconds) else { return nil }
            let entry = key.cueTrack == 0 ? cached[key.path] : cachedTracks[CueTrackSlot(path: key.path, track: key.cueTrack)]
            return entry?.key == key ? nil : key
        }
        let derive: @Sendable (ScannedSong, TrackFeatures, StreamedFrameColumns) -> RenderedTrack = { song, features, columns in
            // On the worker: segment, render, and keep only the rendered files until they are staged.
            let result = segmenter.result(info: features.info, streamed: columns, excerptSeconds: request.excerptSeconds)
            let (document, plot) = segmentOutputs(song: song, method: segmenter.method, result: result)
            let labels = (try? document.rendered(as: request.format)) ?? ""
            let picture = request.plot.map { $0 == .svg ? plot.svg() : plot.html() }
            return RenderedTrack(document: document, labels: labels, plot: picture)
        }
        BatchAnalyzer.analyzeInOrder(
            songs: songs, decodeOptions: DecodeOptions(excerptSeconds: request.excerptSeconds,
                                                timeLimitSeconds: request.timeLimitSeconds),
            keepingColumns: TrackSegmenter.comparedColumns,
            jobs: request.jobs ?? ProcessInfo.processInfo.activeProcessorCount, progress: progress,
            cancellation: cancellation,
            derive: derive
        ) { (index: Int, result: Result<(features: TrackFeatures, derived: RenderedTrack), Error>) in
            if let cache, case let .success(done) = result, let key = keys[index] {
                try? cache.store(.analyzed(TrackAnalysis(song: songs[index], features: done.features)), for: key)
            }
            staging.withLock { staging in
                switch result {
                case let .success(done):
                    let rendered = done.derived
                    guard staging.firstError == nil else { return }
                    do throws(OutputError) {
                        try staging.set.add(labelNames[index], rendered.labels)
                        if let plotName = plotNames[index], let picture = rendered.plot {
                            try staging.set.add(plotName, picture)
                        }
                        staging.tracks.append(.init(labelFile: labelNames[index], plotFile: plotNames[index],
                                                    segmentation: rendered.document))
                    } catch {
                        staging.firstError = error
                    }
                case let .failure(error):
                    let failure = AnalysisFailure(path: songs[index].path, error: error)
                    staging.errors.append(.init(path: failure.path, error: failure.error))
                }
            }
        }
        return try staging.withLock { staging throws -> SegmentRun in
            if cancellation.isCancelled { throw SegmentRunError.cancelled }
            if let error = staging.firstError { throw error }
            guard !staging.tracks.isEmpty else { throw SegmentRunError.noTracks(failures: staging.errors.count) }
            let document = SegmentRunDocument(method: segmenter.method.rawValue, format: request.format,
                                              tracks: staging.tracks, errors: staging.errors)
            try staging.set.add(SegmentOutputNames.runFileName, try document.renderedJSON())
            let report = try staging.set.commit(waiting: waiting)
            return SegmentRun(document: document, commit: report, otherFiles: scan.otherFiles,
                              sheetProblems: songScan.sheetProblems)
        }
    }

    /// Splits one song (a whole file, or one track of a cue sheet over its own range) into labelled
    /// sections and returns what `segment` writes; a cue track's times count from its start, and its
    /// document says which track it is (``SegmentationDocument/cueTrack``).
    ///
    /// - Parameters: as ``segment(path:segmenter:excerptSeconds:timeLimitSeconds:cancellation:)``.
    /// - Throws: ``DecodingError`` for a file that cannot be analysed, ``ClusteringError/cancelled`` when cancelled.
    public static func segment(
        song: ScannedSong, segmenter: TrackSegmenter, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
        cancellation: Cancellation = .never
    ) throws -> (document: SegmentationDocument, plot: SegmentPlot) {
        let result = try segmenter.segment(song: song, excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds,
                                           cancellation: cancellation)
        return segmentOutputs(song: song, method: segmenter.method, result: result)
    }

    /// The document and the plot of one segmented track, as `segment` writes them.
    static func segmentOutputs(path: String, method: SegmentationMethod, result: TrackSegmenter.Result)
        -> (document: SegmentationDocument, plot: SegmentPlot)
    {
        segmentOutputs(song: ScannedSong(path: path), method: method, result: result)
    }

    /// The document and the plot of one segmented song; a cue track's name carries its number (`Album.flac#3`).
    static func segmentOutputs(song: ScannedSong, method: SegmentationMethod, result: TrackSegmenter.Result)
        -> (document: SegmentationDocument, plot: SegmentPlot)
    {
        let path = song.path
        var document = SegmentationDocument(path: path, method: method, result: result)
        document.cueTrack = song.cueTrack.map {
            CueTrackReference(track: $0.trackNumber, startSeconds: $0.startSeconds, endSeconds: $0.endSeconds, sheet: $0.sheetPath)
        }
        let name = RawPath.display(URL(fileURLWithPath: path).lastPathComponent)
        let plot = SegmentPlot(
            title: song.cueTrack.map { name + "#\($0.trackNumber)" + ($0.title.map { " " + $0 } ?? "") } ?? name,
            durationSeconds: result.durationSeconds,
            sections: result.segmentation.sections,
            novelty: Array(zip(result.segmentation.noveltyTimes, result.segmentation.novelty)),
            similarityCells: result.overviewCells, similarity: result.overview, highlight: result.highlight)
        return (document, plot)
    }
}

/// One track's files, rendered on its worker and waiting to be staged.
private struct RenderedTrack: Sendable {
    var document: SegmentationDocument
    var labels: String
    var plot: String?
}
