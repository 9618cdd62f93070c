import Clustering
import Features
import Foundation
import Library

/// A warm cache of synthetic songs, written straight through ``FeatureCache/store(_:origin:analyzedAt:)``
/// (no audio is analysed): empty `.flac` files in `FOLDER/music`, and for each a record whose key is that
/// file's size and time, so that `playlists`, `map` and `similar` find every song in the cache and decode nothing.
///
/// Each record is shaped like a real analysis: a length spread over 60–480 s, a summary drawn around one
/// of eight centres, an artist of about 10 songs and an album of 5, a musicnn MTT embedding of the default
/// patch budget drawn around the same centre's own embedding centre (a library has styles; uniform noise
/// in every dimension is a worst case no collection shows, where k-means crawls), and a fingerprint of the current ``AudioFingerprint/version`` over the first
/// ``AudioFingerprint/computedSeconds`` (the real item count: a seeded random item stream). Every
/// ``copyEvery``-th song is a copy of the song before it (the same fingerprint with a few bits flipped in
/// some items and an offset of a few items, a summary and embedding a little off, the same length within
/// 0.1 s), so that the one-copy search finds groups. A share of songs (`withoutFingerprint`) may carry no
/// fingerprint, as records from before fingerprints do.
enum SyntheticCacheLibrary {
    /// One song in this many is a copy of the song before it.
    static let copyEvery = 25

    /// Writes `songs` files and their records into `folder` (`music/` and `cache.sqlite`), in batches of 5,000.
    ///
    /// - Parameters:
    ///   - withoutFingerprint: the share of songs, in [0, 1], whose record has no fingerprint.
    /// - Returns: the seconds it took.
    @discardableResult
    static func fill(folder: String, songs: Int, withoutFingerprint: Double = 0) throws -> Double {
        let start = Date()
        try FileManager.default.createDirectory(atPath: folder + "/music", withIntermediateDirectories: true)
        let cache = try FeatureCache(path: folder + "/cache.sqlite")
        var generator = SeededGenerator(seed: 3)
        let width = SummaryLayout.current.dimensionCount
        let centres = (0..<8).map { _ in (0..<width).map { _ in Float.random(in: 0...100, using: &generator) } }
        let model = MusicnnModel.mtt
        let embeddingCentres = (0..<8).map { _ in
            (values: (0..<model.identity.dimension).map { _ in Float.random(in: 0...1, using: &generator) },
             tags: (0..<model.tags.count).map { _ in Float.random(in: 0...1, using: &generator) })
        }
        func near(_ value: Float, using generator: inout SeededGenerator) -> Float {
            min(1, max(0, value + Float.random(in: -0.15...0.15, using: &generator)))
        }
        var batch: [(outcome: CachedOutcome, key: CacheKey)] = []
        var previous: TrackAnalysis?
        for index in 0..<songs {
            let path = folder + "/music/\(index).flac"
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let key = CacheKey.current(path: path, excerptSeconds: nil)
            else { throw BenchmarkError("cannot make \(path)") }
            var track: TrackAnalysis
            if index % copyEvery == copyEvery - 1, let original = previous {
                track = copy(of: original, path: path, index: index, using: &generator)
            } else {
                let style = Int.random(in: 0..<centres.count, using: &generator)
                let summary = SongSummary(values: centres[style].map { $0 + Float.random(in: -10...10, using: &generator) })
                let embedding = SongEmbedding(
                    model: model, values: embeddingCentres[style].values.map { near($0, using: &generator) },
                    tagProbabilities: embeddingCentres[style].tags.map { near($0, using: &generator) },
                    patchCount: 10)
                let duration = Double.random(in: 60...480, using: &generator)
                track = TrackAnalysis(path: path, title: "Song \(index)", artist: "Artist \(index / 10)",
                                      album: "Album \(index / 5)", format: "FLAC/PCM_16", durationSeconds: duration,
                                      sampleRate: 44100, channelCount: 2, analyzedSeconds: duration, summary: summary,
                                      embeddings: [embedding])
                track.fingerprint = fingerprint(seconds: duration, using: &generator)
            }
            previous = track
            var stored = track
            if Double.random(in: 0..<1, using: &generator) < withoutFingerprint { stored.fingerprint = nil }
            batch.append((.analyzed(stored), key))
            if batch.count == 5000 || index == songs - 1 {
                try cache.store(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        return Date().timeIntervalSince(start)
    }

    /// A seeded random fingerprint over the first ``AudioFingerprint/computedSeconds`` of a `seconds` long song.
    static func fingerprint(seconds: Double, using generator: inout SeededGenerator) -> AudioFingerprint {
        let covered = min(seconds, AudioFingerprint.computedSeconds)
        let count = Int(covered / AudioFingerprint.itemSeconds)
        return AudioFingerprint(values: (0..<count).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) },
                                fingerprintedSeconds: covered)
    }

    /// Another copy of `original` at `path`: its fingerprint shifted by 0–4 items of leading silence with
    /// one to three bits flipped in a third of its items, its summary and embedding a little off, its length
    /// within 0.1 s.
    static func copy(of original: TrackAnalysis, path: String, index: Int,
                     using generator: inout SeededGenerator) -> TrackAnalysis {
        var track = original
        track.path = path
        track.title = "Song \(index)"
        track.durationSeconds = original.durationSeconds + Double.random(in: 0...0.1, using: &generator)
        track.analyzedSeconds = track.durationSeconds
        track.summary = SongSummary(values: original.summary.values.map { $0 + Float.random(in: -0.5...0.5, using: &generator) })
        track.embeddings = original.embeddings.map { embedding in
            var changed = embedding
            changed.values = embedding.values.map { $0 + Float.random(in: -0.01...0.01, using: &generator) }
            return changed
        }
        if let fingerprint = original.fingerprint {
            let offset = Int.random(in: 0...4, using: &generator)
            var values = (0..<offset).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
            for value in fingerprint.values.dropLast(offset) {
                var flipped = value
                if Int.random(in: 0..<3, using: &generator) == 0 {
                    for _ in 0..<Int.random(in: 1...3, using: &generator) {
                        flipped ^= 1 << UInt32.random(in: 0..<32, using: &generator)
                    }
                }
                values.append(flipped)
            }
            track.fingerprint = AudioFingerprint(values: values, fingerprintedSeconds: fingerprint.fingerprintedSeconds)
        }
        return track
    }
}
