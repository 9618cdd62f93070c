import DSP
import Foundation

/// Orders items into a short path through feature space, for smooth listening.
///
/// Greedy nearest neighbour from a given start, then 2-opt: two edges are
/// swapped (the part between them reversed) when that shortens the open path,
/// until no swap helps or `maximumPasses` is reached. The start stays first.
///
/// Both steps work from each item's nearest neighbours, computed once, so a
/// playlist of thousands of songs is ordered in about a second rather than
/// minutes: the greedy step takes the first unvisited neighbour (scanning
/// every item only when all are visited, so the greedy path is exact), and
/// 2-opt tries only the swaps that join an item to one of its neighbours
/// closer than its current successor, the standard neighbour-list 2-opt.
public enum PathOrdering {
    /// The order of `rows` (indices into `data`), starting at `start`.
    ///
    /// - Complexity: O(n² d) for the neighbour lists, O(n k) per 2-opt pass
    ///   (plus the reversals), for k = `neighbourCount`.
    ///
    /// Past `exactLimit` items the order is chunked (``chunkedOrder(_:in:startingAt:chunkSize:maximumPasses:neighbourCount:)``):
    /// the greedy step's full scans, taken each time an item's neighbours are all visited, grow with the
    /// square of the items, and ordering a 50,000-song playlist took minutes.
    public static func order(_ rows: [Int], in data: FeatureMatrix, startingAt start: Int, maximumPasses: Int = 50,
                             neighbourCount: Int = 16, exactLimit: Int = PathOrdering.exactLimit) -> [Int] {
        guard rows.count > 2 else { return [start] + rows.filter { $0 != start } }
        if rows.count > max(exactLimit, 3) {
            return chunkedOrder(rows, in: data, startingAt: start, chunkSize: max(exactLimit, 3) / 2,
                                maximumPasses: maximumPasses, neighbourCount: neighbourCount)
        }
        // Local indices: the start is item 0.
        let items = [start] + rows.filter { $0 != start }
        let lists = NeighbourLists(items: items, data: data, count: neighbourCount)
        var path = greedyPath(lists)
        twoOpt(&path, lists, maximumPasses: maximumPasses)
        return path.map { items[$0] }
    }

    /// Items up to which ``order(_:in:startingAt:maximumPasses:neighbourCount:exactLimit:)`` orders a
    /// playlist as one path: 4,000 (about a second on one core).
    public static let exactLimit = 4_000

    /// A path through many items in chunks of about `chunkSize`: k-means (seeded, one start) splits the
    /// items into ⌈n / chunkSize⌉ chunks, a path through the chunks' centres starting at `start`'s chunk
    /// orders them, and each chunk is ordered as its own path, starting at its item nearest the previous
    /// chunk's last. A chunk still too large is split again the same way.
    ///
    /// - Complexity: O(n × chunks × d) for the split, O(n × chunkSize × d) for the chunks' paths.
    static func chunkedOrder(_ rows: [Int], in data: FeatureMatrix, startingAt start: Int, chunkSize: Int,
                             maximumPasses: Int, neighbourCount: Int) -> [Int] {
        let items = [start] + rows.filter { $0 != start }
        let d = data.columnCount
        var values: [Float] = []
        values.reserveCapacity(items.count * d)
        for row in items { values.append(contentsOf: data.row(row)) }
        let gathered = FeatureMatrix(rowCount: items.count, columnCount: d, values: values)
        let chunkCount = (items.count + chunkSize - 1) / chunkSize
        var chunks: [[Int]]
        if let split = try? KMeans(clusterCount: chunkCount, restarts: 1, maximumIterations: 30, seed: 1).fit(gathered) {
            chunks = Array(repeating: [], count: chunkCount)
            for (local, label) in split.labels.enumerated() { chunks[label].append(items[local]) }
            chunks.removeAll { $0.isEmpty }
        } else {
            chunks = []
        }
        if chunks.count < 2 {
            // Rows k-means cannot split (many equal rows): consecutive pieces of the given order.
            chunks = stride(from: 0, to: items.count, by: chunkSize).map { Array(items[$0..<min($0 + chunkSize, items.count)]) }
        }
        // The chunks in path order, from the start's chunk.
        let centres = FeatureMatrix(rowCount: chunks.count, columnCount: d, values: chunks.flatMap { chunk in
            (0..<d).map { column in Float(chunk.reduce(0.0) { $0 + Double(data[$1, column]) } / Double(chunk.count)) }
        })
        let first = chunks.firstIndex { $0.contains(start) }!
        let chunkOrder = order(Array(0..<chunks.count), in: centres, startingAt: first, maximumPasses: maximumPasses,
                               neighbourCount: neighbourCount, exactLimit: max(chunkSize * 2, 3))
        var path: [Int] = []
        path.reserveCapacity(items.count)
        for chunk in chunkOrder.map({ chunks[$0] }) {
            let entry: Int
            if let last = path.last {
                entry = chunk.min { (distance(last, $0, in: data), $0) < (distance(last, $1, in: data), $1) }!
            } else {
                entry = start
            }
            path += order(chunk, in: data, startingAt: entry, maximumPasses: maximumPasses,
                          neighbourCount: neighbourCount, exactLimit: max(chunkSize * 2, 3))
        }
        return path
    }

    /// The Euclidean distance between two rows of `data`.
    static func distance(_ a: Int, _ b: Int, in data: FeatureMatrix) -> Float {
        let d = data.columnCount
        return data.values.withUnsafeBufferPointer {
            VectorKernels.squaredDistance($0.baseAddress! + a * d, $0.baseAddress! + b * d, count: d).squareRoot()
        }
    }

    /// Nearest neighbour from item 0; ties go to the lower index.
    static func greedyPath(_ lists: NeighbourLists) -> [Int] {
        let m = lists.itemCount
        var visited = [Bool](repeating: false, count: m)
        var unvisited = Array(1..<m)            // for the full scan; swap-removed
        var slot = Array(-1..<(m - 1))          // slot[item] = index in unvisited
        var path = [0]
        visited[0] = true
        func visit(_ item: Int) {
            visited[item] = true
            let index = slot[item]
            let last = unvisited.removeLast()
            if last != item {
                unvisited[index] = last
                slot[last] = index
            }
            path.append(item)
        }
        while path.count < m {
            let current = path.last!
            if let next = lists.neighbours(of: current).first(where: { !visited[$0] }) {
                visit(next)
            } else {
                var best = unvisited[0]
                var bestDistance = lists.distance(current, best)
                for item in unvisited.dropFirst() {
                    let distance = lists.distance(current, item)
                    if (distance, item) < (bestDistance, best) { (best, bestDistance) = (item, distance) }
                }
                visit(best)
            }
        }
        return path
    }

    /// Neighbour-list 2-opt on an open path whose first item stays first.
    static func twoOpt(_ path: inout [Int], _ lists: NeighbourLists, maximumPasses: Int) {
        let m = path.count
        var position = [Int](repeating: 0, count: m)
        for (index, item) in path.enumerated() { position[item] = index }
        func edge(_ index: Int) -> Float {            // length of (index, index+1); 0 past the end
            index + 1 < m ? lists.distance(path[index], path[index + 1]) : 0
        }
        var passes = 0
        var improved = true
        while improved && passes < maximumPasses {
            improved = false
            passes += 1
            for i in 0..<(m - 1) {
                let a = path[i]
                let successor = lists.distance(a, path[i + 1])
                for (c, toC) in zip(lists.neighbours(of: a), lists.neighbourDistances(of: a)) {
                    guard toC < successor - 1e-6 else { break }     // sorted: no closer neighbour follows
                    let j = position[c]
                    // Join a to c: reverse (i+1 ... j) when c is after a, (j+1 ... i) when before.
                    let (low, high) = j > i ? (i, j) : (j, i)
                    guard high > low + 1 else { continue }          // already joined
                    let before = edge(low) + edge(high)
                    let after = toC + (high + 1 < m ? lists.distance(path[low + 1], path[high + 1]) : 0)
                    if after < before - 1e-6 {
                        path[(low + 1)...high].reverse()
                        for index in (low + 1)...high { position[path[index]] = index }
                        improved = true
                        break
                    }
                }
            }
        }
    }

    /// Total length of a path.
    public static func length(_ path: [Int], in data: FeatureMatrix) -> Double {
        let d = data.columnCount
        return data.values.withUnsafeBufferPointer { values in
            zip(path, path.dropFirst()).reduce(0.0) {
                $0 + Double(VectorKernels.squaredDistance(values.baseAddress! + $1.0 * d, values.baseAddress! + $1.1 * d,
                                                          count: d).squareRoot())
            }
        }
    }
}
