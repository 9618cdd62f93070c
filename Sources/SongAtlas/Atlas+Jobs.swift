import Clustering
import Export
import FilePaths
import Foundation
import Library

/// Why a job could not be done; messages name the library's parameters, not command-line flags.
public enum AtlasError: Error, CustomStringConvertible, Equatable {
    /// The seed song is not among the analysed tracks.
    case seedSongNotAnalysed(path: String)

    public var description: String {
        switch self {
        case let .seedSongNotAnalysed(path): return "seed song \(path) is not among the analysed tracks"
        }
    }
}

extension Atlas {
    /// Makes playlists from analysed tracks and returns the document `playlists` writes.
    ///
    /// - Parameters:
    ///   - tracks: the analysed library, e.g. ``LibraryAnalysis/tracks``.
    ///   - builder: how to cluster (k, restarts, seed, feature space…).
    ///   - seedSong: a path among `tracks` (compared after standardising); when given, only its playlist is made,
    ///     ordered from it.
    ///   - labels: reference labels by absolute path (``ReferenceLabels``), to score the playlists against.
    ///   - cancellation: stops the clustering at its next iteration; default never.
    /// - Returns: the set (for callers that need the clusters) and its document.
    /// - Throws: ``AtlasError/seedSongNotAnalysed(path:)``, ``PlaylistBuilder/BuildError``,
    ///   ``ClusteringError`` (``ClusteringError/cancelled`` when cancelled).
    public static func playlists(
        _ tracks: [TrackAnalysis], builder: PlaylistBuilder, seedSong: String? = nil, labels: [String: String]? = nil,
        cancellation: Cancellation = .never
    ) throws -> (set: PlaylistSet, document: PlaylistDocument) {
        var seedIndex: Int?
        if let seedSong {
            let here = FileManager.default.currentDirectoryPath
            let wanted = PathKey.of(seedSong, currentDirectory: here)
            seedIndex = tracks.firstIndex { PathKey.of($0.path, currentDirectory: here) == wanted }
            if seedIndex == nil { throw AtlasError.seedSongNotAnalysed(path: seedSong) }
        }
        let set = try builder.build(tracks, seedTrack: seedIndex, cancellation: cancellation)
        let paths = tracks.map(\.path)
        let agreement = labels.flatMap { ReferenceLabels.agreement(paths: paths, clusters: set.labels, labels: $0) }
        return (set, PlaylistDocument(set, agreement: agreement))
    }

    /// Draws a library as a song map, coloured by the playlists `playlists` would make.
    ///
    /// Both share one placement in the builder's ``FeatureSpace``. The grid is checked against the
    /// number of songs (``SongMapBuilder/checkGrid(songCount:)``) before any clustering or training.
    ///
    /// - Parameter cancellation: stops the clustering or the training at its next iteration; default never.
    /// - Throws: ``ClusteringError`` (``ClusteringError/cancelled`` when cancelled), ``PlaylistBuilder/BuildError``.
    public static func songMap(_ tracks: [TrackAnalysis], builder: SongMapBuilder, playlists: PlaylistBuilder,
                               cancellation: Cancellation = .never) throws -> SongMapDocument {
        guard !tracks.isEmpty else { throw PlaylistBuilder.BuildError.noTracks }
        try builder.checkGrid(songCount: tracks.count)
        let placed = playlists.space.place(tracks)
        let set = try playlists.build(tracks, placed: placed, cancellation: cancellation)
        var map = try builder.build(tracks, placed: placed, colours: SongMapBuilder.Colours(set),
                                    cancellation: cancellation)
        map.notes += set.notes
        return map
    }

    /// Opens the feature cache at `path`, or says why the run goes on without one.
    ///
    /// The policy every command shares: a path that holds something that is not a
    /// SongAtlas cache is left alone and refused; a damaged cache of ours is set
    /// aside and rebuilt (``FeatureCache/rebuildNote``); a read-only or busy cache is
    /// used read-only (``FeatureCache/notes``). Any other failure also means no cache,
    /// never a failed run.
    ///
    /// - Parameter creating: make a new cache when none is at `path`; false for a job that only reads one.
    /// - Returns: the cache, or nil with the error that refused it (a ``CacheError`` whose
    ///   ``CacheError/reason`` tells a path that is not a cache from one that cannot be opened).
    public static func openCache(at path: String = FeatureCache.defaultPath, creating: Bool = true)
        -> (cache: FeatureCache?, refusal: Error?)
    {
        do {
            return (try FeatureCache(path: path, creating: creating), nil)
        } catch {
            return (nil, error)
        }
    }
}

extension Atlas {
    /// Splits one track into labelled sections and returns what `segment` writes.
    ///
    /// - Parameters:
    ///   - path: an audio file.
    ///   - segmenter: the method and its parameters.
    ///   - excerptSeconds: analyse only this many seconds from the middle.
    ///   - timeLimitSeconds: give up after this many seconds of decoding and feature work.
    ///   - cancellation: checked between decoding and segmenting; default never.
    /// - Returns: the document (sections, novelty, notes) and its picture.
    /// - Throws: ``DecodingError`` for a file that cannot be analysed, ``ClusteringError/cancelled`` when cancelled.
    public static func segment(
        path: String, segmenter: TrackSegmenter, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
        cancellation: Cancellation = .never
    ) throws -> (document: SegmentationDocument, plot: SegmentPlot) {
        let result = try segmenter.segment(path: path, excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds,
                                           cancellation: cancellation)
        return segmentOutputs(path: path, method: segmenter.method, result: result)
    }
}
