import Clustering
import Features
import Foundation
import Library

/// A warm cache of synthetic songs, written straight through ``FeatureCache/store(_:origin:analyzedAt:)``
/// (no audio is analysed): empty `.flac` files in `FOLDER/music`, and for each a record whose key is that
/// file's size and time, with a summary drawn around one of eight centres, an artist of about 10 songs
/// and an album of 5, and a musicnn MTT embedding of the default patch budget, so that `playlists`,
/// `map` and `similar` find every song in the cache and decode nothing.
enum SyntheticCacheLibrary {
    /// Writes `songs` files and their records into `folder` (`music/` and `cache.sqlite`), in batches of 5,000.
    ///
    /// - Returns: the seconds it took.
    @discardableResult
    static func fill(folder: String, songs: Int) throws -> Double {
        let start = Date()
        try FileManager.default.createDirectory(atPath: folder + "/music", withIntermediateDirectories: true)
        let cache = try FeatureCache(path: folder + "/cache.sqlite")
        var generator = SeededGenerator(seed: 3)
        let width = SummaryLayout.current.dimensionCount
        let centres = (0..<8).map { _ in (0..<width).map { _ in Float.random(in: 0...100, using: &generator) } }
        let model = MusicnnModel.mtt
        var batch: [(outcome: CachedOutcome, key: CacheKey)] = []
        for index in 0..<songs {
            let path = folder + "/music/\(index).flac"
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let key = CacheKey.current(path: path, excerptSeconds: nil)
            else { throw BenchmarkError("cannot make \(path)") }
            let centre = centres[Int.random(in: 0..<centres.count, using: &generator)]
            let summary = SongSummary(values: centre.map { $0 + Float.random(in: -10...10, using: &generator) })
            let embedding = SongEmbedding(
                model: model, values: (0..<model.identity.dimension).map { _ in Float.random(in: 0...1, using: &generator) },
                tagProbabilities: (0..<model.tags.count).map { _ in Float.random(in: 0...1, using: &generator) },
                patchCount: 10)
            let track = TrackAnalysis(path: path, title: "Song \(index)", artist: "Artist \(index / 10)",
                                      album: "Album \(index / 5)", format: "FLAC/PCM_16", durationSeconds: 200,
                                      sampleRate: 44100, channelCount: 2, analyzedSeconds: 200, summary: summary,
                                      embeddings: [embedding])
            batch.append((.analyzed(track), key))
            if batch.count == 5000 || index == songs - 1 {
                try cache.store(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        return Date().timeIntervalSince(start)
    }
}
