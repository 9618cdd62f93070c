import DSP
import Foundation
import Synchronization

/// Every item's exact nearest items, found through the units of a trained map.
///
/// **Method.** The map's codebook vectors serve as pivots (a pivot-based exact
/// search, as in Chávez et al., "Searching in metric spaces", 2001). Items are
/// grouped by their unit; for a query item x, the items y of unit u lie no
/// nearer than `‖x − w_u‖ − r_u` (triangle inequality), where `r_u` is the
/// farthest item of u from `w_u`, and no nearer than `|‖x − w_u‖ − ‖y − w_u‖|`.
/// The queries of one unit visit the other units from the nearest codebook
/// vector outwards and skip any unit, and any item, whose bound exceeds the
/// query's current `count`-th distance (with a margin for rounding, so no
/// skipped item could have been among the nearest). The result is the one a
/// scan of every item gives: the `count` smallest squared distances
/// (``VectorKernels/squaredDistance(_:_:count:)``, the kernel
/// ``SimilarityRanking`` uses), ties by the lower index.
///
/// How much is skipped depends on the data: separated styles cut the work to
/// about the items of the query's own style; items spread evenly in many
/// dimensions leave little to skip, and the search then costs what a scan costs.
public enum UnitIndexedNeighbours {
    /// One neighbour: its row and its squared Euclidean distance to the query.
    public struct Neighbour: Sendable, Equatable {
        /// The neighbour's row.
        public var index: Int
        /// Squared Euclidean distance to the query, as ``VectorKernels/squaredDistance(_:_:count:)`` gives it.
        public var squaredDistance: Float

        public init(index: Int, squaredDistance: Float) {
            self.index = index
            self.squaredDistance = squaredDistance
        }
    }

    /// Finds every row's `count` nearest other rows and hands each list to `body`.
    ///
    /// - Parameters:
    ///   - points: the items, one per row, all values finite.
    ///   - units: the unit of each row (normally its best-matching unit), in `0..<codebook.rowCount`;
    ///     any assignment gives the exact result, a good one makes the search fast.
    ///   - codebook: the pivots, one per unit, as many columns as `points`.
    ///   - count: neighbours per row, ≥ 0; fewer (all other rows) when there are not that many.
    ///   - jobs: threads, ≥ 1; the lists do not depend on it.
    ///   - shouldStop: asked before each unit's queries; true stops the search.
    ///   - body: called once per row, on a worker thread, with the row and its neighbours
    ///     sorted by (squared distance, row).
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` for units or a codebook that do not fit the
    ///   points, or a negative count; ``ClusteringError/cancelled`` when `shouldStop` returns true.
    /// - Complexity: O(n × units × d) at best, O(n² × d) at worst, for n rows of d values.
    public static func search(points: FeatureMatrix, units: [Int], codebook: FeatureMatrix, count: Int, jobs: Int,
                              shouldStop: @Sendable () -> Bool = { false },
                              body: @Sendable (_ item: Int, _ neighbours: [Neighbour]) -> Void)
        throws(ClusteringError)
    {
        let n = points.rowCount, d = points.columnCount, unitCount = codebook.rowCount
        guard count >= 0 else { throw .invalidParameter("count=\(count) must be at least 0") }
        guard units.count == n else { throw .invalidParameter("\(units.count) units for \(n) points") }
        guard codebook.columnCount == d else {
            throw .invalidParameter("codebook has \(codebook.columnCount) columns, points \(d)")
        }
        if let bad = units.first(where: { !(0..<unitCount).contains($0) }) {
            throw .invalidParameter("unit \(bad) is outside the \(unitCount) units")
        }
        let k = min(count, n - 1)
        guard k > 0 else {
            for item in 0..<n { body(item, []) }
            return
        }
        // Members of each unit, in row order.
        var start = [Int](repeating: 0, count: unitCount + 1)
        for unit in units { start[unit + 1] += 1 }
        for unit in 0..<unitCount { start[unit + 1] += start[unit] }
        var members = [Int](repeating: 0, count: n)
        var filled = start
        for (row, unit) in units.enumerated() {
            members[filled[unit]] = row
            filled[unit] += 1
        }
        // Each item's distance to its own pivot, and each unit's farthest member.
        var radius = [Float](repeating: 0, count: n)
        var unitRadius = [Float](repeating: 0, count: unitCount)
        points.values.withUnsafeBufferPointer { x in
            codebook.values.withUnsafeBufferPointer { w in
                for row in 0..<n {
                    let value = VectorKernels.squaredDistance(x.baseAddress! + row * d, w.baseAddress! + units[row] * d,
                                                              count: d).squareRoot()
                    radius[row] = value
                    unitRadius[units[row]] = max(unitRadius[units[row]], value)
                }
            }
        }
        let occupied = (0..<unitCount).filter { start[$0 + 1] > start[$0] }
        let next = IndexCounter()
        let stopped = Atomic<Bool>(false)
        let workers = max(1, min(jobs, occupied.count))
        let context = SearchContext(points: points, codebook: codebook, start: start, members: members, radius: radius,
                                    unitRadius: unitRadius, occupied: occupied, k: k)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let position = next.take(below: occupied.count) {
                if shouldStop() {
                    stopped.store(true, ordering: .relaxed)
                    return
                }
                context.searchUnit(occupied[position], body: body)
            }
        }
        if stopped.load(ordering: .relaxed) { throw .cancelled }
    }

    /// Whether a lower bound rules a candidate out for a query whose current
    /// `count`-th distance is `limit`, with a margin well above Float rounding.
    ///
    /// - Parameters:
    ///   - bound: the lower bound on the distance, from `terms` by the triangle inequality.
    ///   - limit: the query's current `count`-th distance (not squared).
    ///   - terms: the sum of the magnitudes the bound was made of.
    @inline(__always)
    static func rulesOut(_ bound: Float, limit: Float, terms: Float) -> Bool {
        bound - limit > 1e-4 * (terms + limit) + Float.leastNormalMagnitude
    }

    /// The shared read-only state of one search.
    private struct SearchContext: Sendable {
        let points: FeatureMatrix
        let codebook: FeatureMatrix
        let start: [Int]
        let members: [Int]
        let radius: [Float]
        let unitRadius: [Float]
        let occupied: [Int]
        let k: Int

        /// The neighbours of every member of `unit`, handed to `body`.
        func searchUnit(_ unit: Int, body: @Sendable (Int, [Neighbour]) -> Void) {
            let d = points.columnCount
            let queries = Array(members[start[unit]..<start[unit + 1]])
            points.values.withUnsafeBufferPointer { xBuffer in
                codebook.values.withUnsafeBufferPointer { wBuffer in
                    let x = xBuffer.baseAddress!, w = wBuffer.baseAddress!
                    // Other units from the nearest pivot outwards.
                    let pivot = w + unit * d
                    var order = occupied.map { (distance: VectorKernels.squaredDistance(pivot, w + $0 * d, count: d).squareRoot(),
                                                unit: $0) }
                    order.sort { ($0.distance, $0.unit) < ($1.distance, $1.unit) }
                    var heaps = [NeighbourHeap](repeating: NeighbourHeap(capacity: k), count: queries.count)
                    let queryRadius = queries.map { radius[$0] }
                    let largestQueryRadius = queryRadius.max() ?? 0
                    let largestUnitRadius = unitRadius.max() ?? 0
                    for (pivotDistance, other) in order {
                        // The farthest query limit; past it no query needs this unit or any farther one.
                        var largestLimit: Float = 0
                        var allFull = true
                        for heap in heaps {
                            guard let limit = heap.limit else { allFull = false; break }
                            largestLimit = max(largestLimit, limit)
                        }
                        if allFull {
                            // Units come nearest first: once even the widest unit is out of reach, all further ones are.
                            let reach = pivotDistance + largestQueryRadius + largestUnitRadius
                            if rulesOut(pivotDistance - largestQueryRadius - largestUnitRadius, limit: largestLimit, terms: reach) {
                                break
                            }
                            let terms = pivotDistance + largestQueryRadius + unitRadius[other]
                            if rulesOut(pivotDistance - largestQueryRadius - unitRadius[other], limit: largestLimit, terms: terms) {
                                continue
                            }
                        }
                        let candidates = members[start[other]..<start[other + 1]]
                        for (slot, query) in queries.enumerated() {
                            let queryRow = x + query * d
                            if let limit = heaps[slot].limit {
                                let terms = pivotDistance + queryRadius[slot] + unitRadius[other]
                                if rulesOut(pivotDistance - queryRadius[slot] - unitRadius[other], limit: limit, terms: terms) {
                                    continue
                                }
                            }
                            let toPivot = VectorKernels.squaredDistance(queryRow, w + other * d, count: d).squareRoot()
                            if let limit = heaps[slot].limit,
                               rulesOut(toPivot - unitRadius[other], limit: limit, terms: toPivot + unitRadius[other]) {
                                continue
                            }
                            for candidate in candidates where candidate != query {
                                if let limit = heaps[slot].limit,
                                   rulesOut(abs(toPivot - radius[candidate]), limit: limit, terms: toPivot + radius[candidate]) {
                                    continue
                                }
                                let key = VectorKernels.squaredDistance(x + candidate * d, queryRow, count: d)
                                heaps[slot].offer(Neighbour(index: candidate, squaredDistance: key))
                            }
                        }
                    }
                    for (slot, query) in queries.enumerated() { body(query, heaps[slot].sorted()) }
                }
            }
        }
    }
}

/// The `capacity` smallest neighbours offered so far, by (squared distance, index): a bounded max-heap.
struct NeighbourHeap {
    private(set) var items: [UnitIndexedNeighbours.Neighbour] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity)
    }

    /// The distance (not squared) a new neighbour must beat once the heap is full; nil before.
    var limit: Float? { items.count == capacity ? items[0].squaredDistance.squareRoot() : nil }

    @inline(__always)
    private static func larger(_ a: UnitIndexedNeighbours.Neighbour, _ b: UnitIndexedNeighbours.Neighbour) -> Bool {
        (a.squaredDistance, a.index) > (b.squaredDistance, b.index)
    }

    /// Keeps `neighbour` if it is among the `capacity` smallest so far.
    mutating func offer(_ neighbour: UnitIndexedNeighbours.Neighbour) {
        if items.count < capacity {
            items.append(neighbour)
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.larger(items[child], items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
            return
        }
        guard Self.larger(items[0], neighbour) else { return }
        items[0] = neighbour
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { return }
            var largest = left
            if left + 1 < items.count && Self.larger(items[left + 1], items[left]) { largest = left + 1 }
            guard Self.larger(items[largest], items[parent]) else { return }
            items.swapAt(largest, parent)
            parent = largest
        }
    }

    /// The neighbours kept, nearest first (ties by index).
    func sorted() -> [UnitIndexedNeighbours.Neighbour] {
        items.sorted { ($0.squaredDistance, $0.index) < ($1.squaredDistance, $1.index) }
    }
}
