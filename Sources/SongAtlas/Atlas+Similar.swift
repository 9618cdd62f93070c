import Clustering
import Export
import FilePaths
import Foundation
import Library

/// How `similar` chooses its songs.
public struct SimilarOptions: Sendable, Equatable {
    /// Near-duplicates are songs closer than this fraction of the library's typical distance
    /// (the root-mean-square distance between two of its songs).
    ///
    /// Measured by `scripts/eval-similar` with the hand-crafted features on
    /// 109 clips of 7 sources of the real-music evaluation set (README,
    /// "Similar songs and paths on real music"): copies of 14 clips lie from
    /// their originals at a median of 0.10 re-encoded (MP3 128k, Vorbis q3),
    /// 0.12 "remastered" (−3 dB, 16 kHz low-pass) and 0.17 cut to 60 s, but up
    /// to 0.31, 0.20 and 0.49; the closest two different pieces of one source
    /// lie 0.32 apart (two tracks of one album; MIDI pieces rendered through
    /// one sound font at 0.33). The distributions overlap, so no threshold
    /// catches every copy without merging pieces. 0.12 catches about half the
    /// re-encoded copies and keeps a margin of 2.7 below the closest pieces,
    /// so a piano or classical library is not thinned; copies tagged with the
    /// same artist and title are caught by their tags whatever their distance.
    public static let defaultDuplicateFraction = 0.12

    /// How many similar songs (not counting the seeds), ≥ 1.
    public var count: Int
    /// At most this many songs per artist; 0 for no cap.
    public var maximumPerArtist: Int
    /// At most this many songs per album; 0 for no cap.
    public var maximumPerAlbum: Int
    /// Whether near-duplicates are left out (by artist and title, and by distance).
    public var removesDuplicates: Bool
    /// Near-duplicate distance as a fraction of the library's typical distance; 0 turns the distance check off
    /// (copies with the same artist and title are still left out while ``removesDuplicates``).
    public var duplicateFraction: Double
    /// The space songs are compared in.
    public var space: FeatureSpace

    /// - Parameters:
    ///   - count: default 30.
    ///   - maximumPerArtist: default 3.
    ///   - maximumPerAlbum: default 2.
    ///   - removesDuplicates: default true.
    ///   - duplicateFraction: default ``defaultDuplicateFraction``.
    ///   - space: default the hand-crafted ``FeatureSpace``.
    public init(count: Int = 30, maximumPerArtist: Int = 3, maximumPerAlbum: Int = 2, removesDuplicates: Bool = true,
                duplicateFraction: Double = SimilarOptions.defaultDuplicateFraction, space: FeatureSpace = FeatureSpace()) {
        self.removesDuplicates = removesDuplicates
        self.count = count
        self.maximumPerArtist = maximumPerArtist
        self.maximumPerAlbum = maximumPerAlbum
        self.duplicateFraction = duplicateFraction
        self.space = space
    }
}

extension Atlas {
    /// The songs of `library` most like `seeds`, without near-duplicates and within the caps.
    ///
    /// See ``SimilarityRanking`` for the method (round robin over several
    /// seeds, caps, near-duplicates) and ``SongIdentity`` for how tags are
    /// compared. A seed need not be in `library`: it is placed with it and
    /// never returned. Similarity is exp(−(d / s)²) for the distance d to the
    /// nearest seed and the library's typical distance s (the root-mean-square
    /// distance between two songs): 1 for the same point, about 0.37 at the
    /// typical distance.
    ///
    /// - Parameters:
    ///   - library: the candidates.
    ///   - seeds: the seeds, at least one; one given twice (same path) counts once.
    ///   - options: count, caps, duplicates, space.
    ///   - cancellation: checked between placing and ranking; default never.
    /// - Returns: the document: the seeds, then the songs found, with notes.
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` for no seed or a count below 1,
    ///   ``ClusteringError/cancelled`` when cancelled.
    public static func similar(_ library: [TrackAnalysis], seeds: [TrackAnalysis], options: SimilarOptions,
                               cancellation: Cancellation = .never) throws -> SongListDocument {
        let joined = Joined(library: library, songs: seeds)
        let placed = options.space.place(joined.tracks)
        if cancellation.isCancelled { throw ClusteringError.cancelled }
        let scale = typicalDistance(placed.points)
        let limits = SimilarityRanking.Limits(
            maximumPerArtist: options.maximumPerArtist, maximumPerAlbum: options.maximumPerAlbum,
            duplicateDistance: options.removesDuplicates ? Float(options.duplicateFraction * scale) : 0)
        var groups = SongIdentity.groups(joined.tracks)
        if !options.removesDuplicates { groups.work = [Int](repeating: SongGroups.unknown, count: groups.count) }
        let (matches, skipped) = try SimilarityRanking.nearest(
            points: placed.points, seeds: joined.rows, count: options.count, groups: groups, limits: limits,
            candidates: Array(0..<library.count))

        var songs = joined.uniqueRows.map { song(joined.tracks[$0], role: .seed) }
        for match in matches {
            let distance = Double(match.distance)
            songs.append(song(joined.tracks[match.index], role: .similar, similarity: similarity(distance, scale: scale),
                              distance: distance, seed: joined.tracks[joined.rows[match.seed]].path))
        }
        var notes = placed.notes
        if matches.count < options.count {
            var reasons: [String] = []
            if skipped.duplicates > 0 { reasons.append("\(skipped.duplicates) near-duplicates") }
            if skipped.capped > 0 { reasons.append("\(skipped.capped) over the artist or album caps") }
            notes.append("only \(matches.count) of the \(options.count) songs asked for were found"
                + (reasons.isEmpty ? " (the library has no more)" : "; left out: " + reasons.joined(separator: ", ")))
        }
        return SongListDocument(kind: .similar, features: ComparedFeatures(placed.features), songs: songs, notes: notes)
    }

    /// A path of `length` songs of `library` from the first anchor to the last, through the others in order.
    ///
    /// See ``SongPath`` for the method. Each song's distance is the step from
    /// the one before; its similarity is that step as ``similar(_:seeds:options:)`` measures it.
    ///
    /// - Parameters:
    ///   - library: the songs that may fill the path.
    ///   - anchors: FROM, the waypoints, TO; they need not be in `library`. FROM equal to TO (and
    ///     nothing else) gives a one-song path, with a note.
    ///   - length: songs in the path, anchors included, at least the distinct anchors (1 for FROM = TO alone).
    ///   - space: the space songs are compared in.
    ///   - cancellation: checked between placing and searching; default never.
    /// - Returns: the document: the path, its steps, notes for gaps.
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` when an anchor appears twice (other than
    ///   FROM = TO) or `length` is below the number of anchors; ``ClusteringError/cancelled`` when cancelled.
    public static func path(_ library: [TrackAnalysis], anchors: [TrackAnalysis], length: Int, space: FeatureSpace,
                            cancellation: Cancellation = .never) throws -> SongListDocument {
        let joined = Joined(library: library, songs: anchors)
        let placed = space.place(joined.tracks)
        if cancellation.isCancelled { throw ClusteringError.cancelled }
        let scale = typicalDistance(placed.points)
        let result = try SongPath.find(points: placed.points, anchors: joined.rows, length: length,
                                       candidates: Array(0..<library.count))
        var notes = placed.notes
        if joined.rows.count == 2 && joined.rows[0] == joined.rows[1] {
            notes.append("FROM and TO are the same song: the path is that one song")
        }
        var roles = [SongListDocument.Role](repeating: .step, count: result.rows.count)
        for (order, position) in result.anchorPositions.enumerated() {
            roles[position] = order == 0 ? .from : order == result.anchorPositions.count - 1 ? .to : .via
        }
        if result.rows.count == 1 { roles[0] = .from }
        var songs: [SongListDocument.Song] = []
        for (position, row) in result.rows.enumerated() {
            let step = position == 0 ? nil : Double(result.steps[position - 1])
            songs.append(song(joined.tracks[row], role: roles[position], similarity: step.map { similarity($0, scale: scale) },
                              distance: step))
        }
        for gap in result.gaps {
            notes.append(String(format: "gap after song %d: a step of %.3f from %@ to %@, %.1f× the even step; "
                + "nothing in the library lies between them", gap + 1, result.steps[gap],
                songs[gap].displayTitle, songs[gap + 1].displayTitle, result.steps[gap] / max(result.evenStep, .leastNormalMagnitude)))
        }
        if result.rows.count < length && Set(joined.rows).count > 1 {
            notes.append("only \(result.rows.count) of the \(length) songs asked for: the library has no more")
        }
        let steps = SongListDocument.Steps(
            mean: Double(result.meanStep), largest: Double(result.largestStep), even: Double(result.evenStep),
            gapsAfter: result.gaps)
        return SongListDocument(kind: .path, features: ComparedFeatures(placed.features), songs: songs, steps: steps, notes: notes)
    }

    /// Every library song in the cache whose file is still there, by path: the library `similar` and
    /// `path` search when no folder is given.
    ///
    /// Songs analysed only as seeds (``RecordOrigin/seed``) are left out: a seed
    /// is used as a seed again (``findSongs(_:in:cache:excerptSeconds:timeLimitSeconds:embedding:keepingRepeats:cancellation:)``
    /// finds its record), never recommended.
    ///
    /// A file whose cue tracks are in the cache is those tracks (in track order), not also its whole-file record.
    ///
    /// - Throws: the cache's read error.
    public static func cachedTracks(_ cache: FeatureCache) throws -> [TrackAnalysis] {
        // One pass over the cache: a large cache's records are read once.
        let contents = try cache.loadContents()
        let seeds = contents.seedPaths
        let cueTracks = contents.cueTracks.values
        let split = Set(cueTracks.map(\.key.path))
        let whole = contents.wholeFiles.values.filter { !split.contains($0.key.path) }
        let tracks = (Array(whole) + Array(cueTracks)).compactMap { entry -> TrackAnalysis? in
            guard case let .analyzed(track) = entry.outcome, !seeds.contains(entry.key.path),
                  fileExists(track.path) else {
                return nil
            }
            return track
        }
        // Sorted by place, not by moving the tracks themselves (large values) about.
        let order = tracks.indices.sorted {
            (tracks[$0].path, tracks[$0].cueTrackNumber ?? 0) < (tracks[$1].path, tracks[$1].cueTrackNumber ?? 0)
        }
        return order.map { tracks[$0] }
    }

    /// Whether anything is at `path` (following a symbolic link), as `FileManager.fileExists(atPath:)` says, in one `stat`.
    static func fileExists(_ path: String) -> Bool {
        var status = stat()
        return RawPath.withCString(path) { stat($0, &status) } == 0
    }

    /// Finds each of `paths` in `library` (by absolute path, ``PathKey``), or analyses it through the cache.
    ///
    /// A song analysed here is stored as a seed record (``RecordOrigin/seed``): it is not recommended
    /// from the cache later. Songs are returned in the order given. A path given twice (also as another spelling of
    /// the same file, such as `./a.flac` and `a.flac`) is analysed once and, unless
    /// `keepingRepeats`, returned once: `similar` merges its seeds, while the anchors of a
    /// ``path(_:anchors:length:space:cancellation:)`` each keep their place.
    ///
    /// - Parameters:
    ///   - paths: audio files.
    ///   - library: analysed songs to look in first.
    ///   - cache: where to look next, and to keep new results; nil for none.
    ///   - excerptSeconds, timeLimitSeconds, embedding, cancellation: as
    ///     ``analyzeLibrary(paths:cache:excerptSeconds:timeLimitSeconds:embedding:jobs:progress:cancellation:)``.
    ///   - keepingRepeats: return a song once for each time it is given; default false (once).
    /// - Returns: the songs found or analysed, and one failure per file that could not be analysed.
    public static func findSongs(
        _ paths: [String], in library: [TrackAnalysis], cache: FeatureCache?, excerptSeconds: Double? = nil,
        timeLimitSeconds: Double? = nil, embedding: EmbeddingSetup? = nil, keepingRepeats: Bool = false,
        cancellation: Cancellation = .never
    ) -> (songs: [TrackAnalysis], failures: [AnalysisFailure]) {
        let here = FileManager.default.currentDirectoryPath
        func key(_ path: String) -> String { PathKey.of(path, currentDirectory: here) }
        var known: [String: TrackAnalysis] = [:]
        // Only the songs asked for are kept (a library may hold 100,000).
        let wanted = Set(paths.map(key))
        for track in library where track.cueTrack == nil {
            let trackKey = key(track.path)
            if wanted.contains(trackKey) { known[trackKey] = track }
        }
        var failures: [AnalysisFailure] = []
        // A cue track seed (`FILE.cue#3`, `FILE.flac#3`) is known by its argument.
        let cueSeeds = cueTrackSeeds(paths, in: library, excerptSeconds: excerptSeconds,
                                     timeLimitSeconds: timeLimitSeconds, embedding: embedding, cancellation: cancellation)
        for (argument, outcome) in cueSeeds {
            switch outcome {
            case let .analyzed(track): known[key(argument)] = track
            case let .failed(failure): failures.append(failure)
            }
        }
        var unique: [String] = []
        for path in paths where !unique.contains(where: { key($0) == key(path) }) { unique.append(path) }
        let missing = unique.filter { known[key($0)] == nil && cueSeeds[$0] == nil }
        if !missing.isEmpty {
            let analysed = analyzeLibrary(paths: missing, cache: cache, excerptSeconds: excerptSeconds,
                                          timeLimitSeconds: timeLimitSeconds, embedding: embedding, jobs: 1,
                                          cancellation: cancellation, origin: .seed)
            for track in analysed.tracks where track.cueTrack == nil { known[key(track.path)] = track }
            failures += analysed.failures
        }
        return ((keepingRepeats ? paths : unique).compactMap { known[key($0)] }, failures)
    }

    /// The root-mean-square distance between two rows: √(2 × mean squared distance from the mean).
    ///
    /// - Complexity: O(n d).
    static func typicalDistance(_ points: FeatureMatrix) -> Double {
        let rows = points.rowCount, columns = points.columnCount
        guard rows > 1 else { return 1 }
        var means = [Double](repeating: 0, count: columns)
        for row in 0..<rows { for column in 0..<columns { means[column] += Double(points[row, column]) } }
        for column in 0..<columns { means[column] /= Double(rows) }
        var spread = 0.0
        for row in 0..<rows {
            for column in 0..<columns {
                let difference = Double(points[row, column]) - means[column]
                spread += difference * difference
            }
        }
        let typical = (2 * spread / Double(rows)).squareRoot()
        return typical > 0 && typical.isFinite ? typical : 1
    }

    /// exp(−(distance / scale)²), in [0, 1].
    static func similarity(_ distance: Double, scale: Double) -> Double {
        let ratio = distance / scale
        return exp(-ratio * ratio)
    }

    static func song(_ track: TrackAnalysis, role: SongListDocument.Role, similarity: Double? = nil,
                     distance: Double? = nil, seed: String? = nil) -> SongListDocument.Song {
        SongListDocument.Song(path: track.path, title: track.title, artist: track.artist, album: track.album,
                              durationSeconds: track.durationSeconds, role: role, similarity: similarity,
                              distance: distance, seed: seed, cue: track.cueReference)
    }
}

/// A library and some songs (seeds, anchors) placed together: the songs that are not in the library come after it.
private struct Joined {
    /// The library, then the songs not in it.
    var tracks: [TrackAnalysis]
    /// Each song's row in ``tracks``, in the order given (repeats kept).
    var rows: [Int]
    /// ``rows`` without repeats.
    var uniqueRows: [Int]

    init(library: [TrackAnalysis], songs: [TrackAnalysis]) {
        let here = FileManager.default.currentDirectoryPath
        // A song is its file and, for a cue track, its track number: an album image's tracks are distinct songs.
        func key(_ track: TrackAnalysis) -> String {
            PathKey.of(track.path, currentDirectory: here) + (track.cueTrackNumber.map { "\u{0}#\($0)" } ?? "")
        }
        var rowOfPath: [String: Int] = [:]
        for (row, track) in library.enumerated() where rowOfPath[key(track)] == nil { rowOfPath[key(track)] = row }
        tracks = library
        rows = []
        for song in songs {
            if let row = rowOfPath[key(song)] {
                rows.append(row)
            } else {
                rowOfPath[key(song)] = tracks.count
                rows.append(tracks.count)
                tracks.append(song)
            }
        }
        var seen = Set<Int>()
        uniqueRows = rows.filter { seen.insert($0).inserted }
    }
}
