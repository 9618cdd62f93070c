import DSP
import Foundation

/// The songs nearest to one seed or several, with caps per artist and album
/// and without near-duplicates: the core of `songatlas similar`.
///
/// **Method.** Exact brute force (SIMD squared distances to every row), which
/// with no caps and no duplicates gives what scikit-learn's
/// `NearestNeighbors(algorithm="brute").kneighbors` gives (checked against a
/// committed fixture). Each candidate belongs to its nearest seed and is
/// ranked by its distance to that seed. With several seeds the result takes
/// one song from each seed's list in turn (round robin), so every seed's style
/// stays represented; the centroid of two styles would land between them and
/// find neither. A seed whose list runs out is skipped.
///
/// **Filters,** applied as each song is taken:
/// - at most ``Limits/maximumPerArtist`` results per artist and
///   ``Limits/maximumPerAlbum`` per album (``SongGroups``; 0 turns a cap off);
/// - no near-duplicate of a seed or of a song already taken: the same work id
///   (``SongGroups/work``), or closer than ``Limits/duplicateDistance``.
///
/// The seeds themselves are never results.
public enum SimilarityRanking {
    /// Caps and the near-duplicate distance.
    public struct Limits: Sendable, Equatable {
        /// Most results per artist; 0 for no cap.
        public var maximumPerArtist: Int
        /// Most results per album; 0 for no cap.
        public var maximumPerAlbum: Int
        /// Two songs closer than this (Euclidean, in the points' units) are one song; 0 turns the check off.
        public var duplicateDistance: Float

        /// - Parameters:
        ///   - maximumPerArtist: ≥ 0; default 3.
        ///   - maximumPerAlbum: ≥ 0; default 2.
        ///   - duplicateDistance: ≥ 0; default 0 (off).
        public init(maximumPerArtist: Int = 3, maximumPerAlbum: Int = 2, duplicateDistance: Float = 0) {
            self.maximumPerArtist = maximumPerArtist
            self.maximumPerAlbum = maximumPerAlbum
            self.duplicateDistance = duplicateDistance
        }

        /// No caps and no duplicate check: plain nearest neighbours.
        public static let none = Limits(maximumPerArtist: 0, maximumPerAlbum: 0, duplicateDistance: 0)
    }

    /// One result.
    public struct Match: Sendable, Equatable {
        /// The song's row.
        public var index: Int
        /// Euclidean distance to its nearest seed.
        public var distance: Float
        /// Which seed that is, as a position in the seeds given.
        public var seed: Int

        public init(index: Int, distance: Float, seed: Int) {
            self.index = index
            self.distance = distance
            self.seed = seed
        }
    }

    /// What was left out, for the user.
    public struct Skipped: Sendable, Equatable {
        /// Songs left out as near-duplicates of a seed or of a result.
        public var duplicates = 0
        /// Songs left out by the artist or album cap.
        public var capped = 0

        public init(duplicates: Int = 0, capped: Int = 0) {
            self.duplicates = duplicates
            self.capped = capped
        }
    }

    /// The songs nearest to `seeds`.
    ///
    /// - Parameters:
    ///   - points: one row per song.
    ///   - seeds: rows of the seeds, at least one; a row given twice counts once.
    ///   - count: how many results, ≥ 1; fewer come back when the library runs out.
    ///   - groups: artist, album and work ids per row (``SongGroups/init(untagged:)`` for none).
    ///   - limits: caps and the duplicate distance.
    ///   - candidates: rows that may be results; nil for every row but the seeds.
    /// - Returns: the results in order (round robin over the seeds), and what was left out.
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` for no seed, a seed out of range, `count` < 1,
    ///   negative limits, or groups of another length.
    /// - Complexity: O(s n d) for s seeds and n rows of d values, plus O(n log k) to select the
    ///   k = 4·count + 32 nearest per seed (all of a seed's rows, sorted, only when caps and
    ///   duplicates reject more than that).
    public static func nearest(
        points: FeatureMatrix, seeds: [Int], count: Int, groups: SongGroups, limits: Limits = Limits(),
        candidates: [Int]? = nil
    ) throws(ClusteringError) -> (matches: [Match], skipped: Skipped) {
        let n = points.rowCount
        var uniqueSeeds: [Int] = []
        for seed in seeds where !uniqueSeeds.contains(seed) { uniqueSeeds.append(seed) }
        guard !uniqueSeeds.isEmpty else { throw .invalidParameter("similar songs need at least one seed") }
        if let bad = uniqueSeeds.first(where: { !(0..<n).contains($0) }) {
            throw .invalidParameter("seed row \(bad) is outside the \(n) songs")
        }
        guard points.columnCount > 0 else { throw .invalidParameter("points have no columns") }
        guard count >= 1 else { throw .invalidParameter("count=\(count) must be at least 1") }
        guard limits.maximumPerArtist >= 0, limits.maximumPerAlbum >= 0,
              limits.duplicateDistance >= 0, limits.duplicateDistance.isFinite else {
            throw .invalidParameter("limits must not be negative")
        }
        guard groups.count == n else { throw .invalidParameter("groups describe \(groups.count) songs, points \(n)") }

        // Nearest seed of every row (squared distances).
        var isSeed = [Bool](repeating: false, count: n)
        for seed in uniqueSeeds { isSeed[seed] = true }
        var nearestDistance = [Float](repeating: .infinity, count: n)
        var owner = [Int](repeating: 0, count: n)
        let d = points.columnCount
        points.values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for (position, seed) in uniqueSeeds.enumerated() {
                let seedRow = base + seed * d
                for row in 0..<n {
                    let distance = VectorKernels.squaredDistance(base + row * d, seedRow, count: d)
                    if distance < nearestDistance[row] {
                        nearestDistance[row] = distance
                        owner[row] = position
                    }
                }
            }
        }

        // Each seed's own candidates, nearest first (the k nearest for now).
        var allowed = [Bool](repeating: candidates == nil, count: n)
        if let candidates { for row in candidates where (0..<n).contains(row) { allowed[row] = true } }
        var owned = [[Int]](repeating: [], count: uniqueSeeds.count)
        for row in 0..<n where allowed[row] && !isSeed[row] { owned[owner[row]].append(row) }
        let firstTake = 4 * count + 32
        var queues = owned.map { rows in
            Self.smallest(firstTake, of: rows, by: nearestDistance)
        }
        var complete = zip(queues, owned).map { $0.count == $1.count }
        var next = [Int](repeating: 0, count: queues.count)

        let threshold = limits.duplicateDistance * limits.duplicateDistance
        let seedWorks = Set(uniqueSeeds.map { groups.work[$0] }.filter { $0 != SongGroups.unknown })
        var works = seedWorks
        var perArtist: [Int: Int] = [:]
        var perAlbum: [Int: Int] = [:]
        var taken: [Match] = []
        var skipped = Skipped()

        func isDuplicate(_ row: Int) -> Bool {
            if groups.work[row] != SongGroups.unknown && works.contains(groups.work[row]) { return true }
            guard threshold > 0 else { return false }
            if nearestDistance[row] < threshold { return true }
            return points.values.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!
                return taken.contains { VectorKernels.squaredDistance(base + row * d, base + $0.index * d, count: d) < threshold }
            }
        }

        func isCapped(_ row: Int) -> Bool {
            let artist = groups.artist[row], album = groups.album[row]
            if limits.maximumPerArtist > 0, artist != SongGroups.unknown, perArtist[artist, default: 0] >= limits.maximumPerArtist {
                return true
            }
            if limits.maximumPerAlbum > 0, album != SongGroups.unknown, perAlbum[album, default: 0] >= limits.maximumPerAlbum {
                return true
            }
            return false
        }

        /// The next acceptable song of seed `position`'s list, or nil when it has run out.
        func take(from position: Int) -> Int? {
            while true {
                if next[position] == queues[position].count {
                    guard !complete[position] else { return nil }
                    // Caps and duplicates used up the first k: sort all of this seed's rows.
                    queues[position] = Self.smallest(owned[position].count, of: owned[position], by: nearestDistance)
                    complete[position] = true
                    continue
                }
                let row = queues[position][next[position]]
                next[position] += 1
                if isDuplicate(row) { skipped.duplicates += 1; continue }
                if isCapped(row) { skipped.capped += 1; continue }
                return row
            }
        }

        var exhausted = [Bool](repeating: false, count: queues.count)
        while taken.count < count && exhausted.contains(false) {
            for position in queues.indices where !exhausted[position] && taken.count < count {
                guard let row = take(from: position) else {
                    exhausted[position] = true
                    continue
                }
                taken.append(Match(index: row, distance: nearestDistance[row].squareRoot(), seed: position))
                if groups.work[row] != SongGroups.unknown { works.insert(groups.work[row]) }
                if groups.artist[row] != SongGroups.unknown { perArtist[groups.artist[row], default: 0] += 1 }
                if groups.album[row] != SongGroups.unknown { perAlbum[groups.album[row], default: 0] += 1 }
            }
        }
        // Positions refer to the seeds as given, duplicates included once.
        let positionOfSeed = Dictionary(uniqueKeysWithValues: uniqueSeeds.enumerated().map { ($1, seeds.firstIndex(of: $1)!) })
        let matches = taken.map { Match(index: $0.index, distance: $0.distance, seed: positionOfSeed[uniqueSeeds[$0.seed]]!) }
        return (matches, skipped)
    }

    /// The `k` rows of `rows` with the smallest `key`, in increasing order (ties by row).
    ///
    /// - Complexity: O(m log k) for m rows, by a bounded max-heap.
    static func smallest(_ k: Int, of rows: [Int], by key: [Float]) -> [Int] {
        guard k < rows.count else {
            return rows.sorted { (key[$0], $0) < (key[$1], $1) }
        }
        guard k > 0 else { return [] }
        // Max-heap of the k best so far, ordered by (key, row).
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func larger(_ a: Int, _ b: Int) -> Bool { (key[a], a) > (key[b], b) }
        func siftUp(_ start: Int) {
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard larger(heap[child], heap[parent]) else { return }
                heap.swapAt(child, parent)
                child = parent
            }
        }
        func siftDown() {
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var largest = left
                if left + 1 < heap.count && larger(heap[left + 1], heap[left]) { largest = left + 1 }
                guard larger(heap[largest], heap[parent]) else { return }
                heap.swapAt(largest, parent)
                parent = largest
            }
        }
        for row in rows {
            if heap.count < k {
                heap.append(row)
                siftUp(heap.count - 1)
            } else if larger(heap[0], row) {
                heap[0] = row
                siftDown()
            }
        }
        return heap.sorted { (key[$0], $0) < (key[$1], $1) }
    }
}
