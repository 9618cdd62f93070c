import DSP
import Foundation

/// A sequence of songs that moves from one song to another (through
/// waypoints, in order) in even, small steps: the core of `songatlas path`.
///
/// **Method** (the straight line in feature space, as AudioMuse-AI's song
/// path and LMS's "song path" describe it, with the waypoints placed by
/// distance): the anchors (FROM, each waypoint, TO) are joined by straight
/// segments. The path's `length` slots are spread evenly along the whole
/// polyline by arc length; each anchor takes the slot nearest its own arc
/// length (kept in order, at least one slot apart), so a waypoint sits where
/// it belongs: a waypoint near FROM comes early, one far away late, not
/// bunched at the start. Each free slot gets a target point, evenly spaced on
/// its segment between the two anchors' slots, and, in order, the nearest
/// song not yet used (and not an anchor). No song appears twice.
///
/// **Gaps.** The even step is the polyline's length over `length − 1`. A
/// step more than ``gapFactor`` times both the even step and the median step
/// is a gap: nothing lies between the two songs (two distant styles with
/// nothing in between), and the caller should warn.
public enum SongPath {
    /// A step counts as a gap above this many times the even step and the median step.
    public static let gapFactor: Float = 2

    /// A path and its steps.
    public struct Result: Sendable, Equatable {
        /// The rows in order: FROM first, TO last, each anchor once.
        public var rows: [Int]
        /// Euclidean distance between consecutive rows (`rows.count − 1` values).
        public var steps: [Float]
        /// The positions in ``rows`` of the anchors, in order.
        public var anchorPositions: [Int]
        /// The length of the straight polyline through the anchors over `rows.count − 1`: the ideal step.
        public var evenStep: Float
        /// Indices into ``steps`` of the gaps (see the type's description).
        public var gaps: [Int]

        /// The largest step; 0 for a single song.
        public var largestStep: Float { steps.max() ?? 0 }
        /// The mean step; 0 for a single song.
        public var meanStep: Float { steps.isEmpty ? 0 : steps.reduce(0, +) / Float(steps.count) }
    }

    /// Finds a path through `anchors`.
    ///
    /// - Parameters:
    ///   - points: one row per song.
    ///   - anchors: FROM, the waypoints, TO (rows), at least one; all distinct, except that a single
    ///     song given as both FROM and TO (`[a, a]`) is a one-song path.
    ///   - length: songs in the path including the anchors, at least the number of distinct anchors
    ///     (1 for a one-song path); lowered to the number of songs.
    ///   - candidates: rows that may fill the path; nil for every row.
    /// - Returns: the path, its steps and gaps.
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` for no anchor, an anchor out of range or
    ///   repeated, or `length` below the number of anchors (a path always holds its anchors).
    /// - Complexity: O(length × n × d) for n rows of d values.
    public static func find(points: FeatureMatrix, anchors: [Int], length: Int, candidates: [Int]? = nil)
        throws(ClusteringError) -> Result
    {
        let n = points.rowCount
        let d = points.columnCount
        guard length >= 1 else { throw .invalidParameter("length=\(length) must be at least 1") }
        guard !anchors.isEmpty else { throw .invalidParameter("a path needs at least one song") }
        guard d > 0 else { throw .invalidParameter("points have no columns") }
        if let bad = anchors.first(where: { !(0..<n).contains($0) }) {
            throw .invalidParameter("anchor row \(bad) is outside the \(n) songs")
        }
        var anchors = anchors
        if anchors.count == 2 && anchors[0] == anchors[1] { anchors = [anchors[0]] }
        guard Set(anchors).count == anchors.count else {
            throw .invalidParameter("a song appears twice among the path's ends and waypoints")
        }
        guard length >= anchors.count else {
            throw .invalidParameter("length=\(length) is fewer than the \(anchors.count) songs the path's ends and "
                + "waypoints already make")
        }
        var allowed = [Bool](repeating: candidates == nil, count: n)
        if let candidates { for row in candidates where (0..<n).contains(row) { allowed[row] = true } }
        for anchor in anchors { allowed[anchor] = false }
        let free = allowed.count { $0 }
        let total = min(max(length, anchors.count), anchors.count + free)
        guard anchors.count > 1 else {
            return Result(rows: anchors, steps: [], anchorPositions: [0], evenStep: 0, gaps: [])
        }

        func distance(_ a: Int, _ b: Int) -> Float {
            points.values.withUnsafeBufferPointer {
                VectorKernels.squaredDistance($0.baseAddress! + a * d, $0.baseAddress! + b * d, count: d).squareRoot()
            }
        }

        // Anchor slots by arc length.
        let segmentLengths = (0..<(anchors.count - 1)).map { distance(anchors[$0], anchors[$0 + 1]) }
        let polyline = segmentLengths.reduce(0, +)
        var arc: [Float] = [0]
        for length in segmentLengths { arc.append(arc.last! + length) }
        var slots = [Int](repeating: 0, count: anchors.count)
        let last = total - 1
        for index in 1..<anchors.count {
            let share = polyline > 0 ? arc[index] / polyline : Float(index) / Float(anchors.count - 1)
            let wanted = Int((share * Float(last)).rounded())
            // In order, one slot apart, leaving room for the anchors still to come.
            slots[index] = min(max(wanted, slots[index - 1] + 1), last - (anchors.count - 1 - index))
        }
        slots[anchors.count - 1] = last

        // Fill the slots between anchors with the nearest unused song to each target point.
        var rows = [Int](repeating: -1, count: total)
        for (anchor, slot) in zip(anchors, slots) { rows[slot] = anchor }
        var target = [Float](repeating: 0, count: d)
        for segment in 0..<(anchors.count - 1) {
            let start = slots[segment], end = slots[segment + 1]
            guard end - start > 1 else { continue }
            let from = points.row(anchors[segment]), to = points.row(anchors[segment + 1])
            for slot in (start + 1)..<end {
                let fraction = Float(slot - start) / Float(end - start)
                for column in 0..<d {
                    let a = from[from.startIndex + column], b = to[to.startIndex + column]
                    target[column] = a + fraction * (b - a)
                }
                let chosen = nearestAllowed(to: target, points: points, allowed: allowed)
                rows[slot] = chosen
                allowed[chosen] = false
            }
        }

        let steps = (0..<(total - 1)).map { distance(rows[$0], rows[$0 + 1]) }
        let evenStep = polyline / Float(total - 1)
        let median = steps.sorted()[steps.count / 2]
        let gapThreshold = gapFactor * max(evenStep, median)
        let gaps = steps.indices.filter { steps[$0] > gapThreshold }
        return Result(rows: rows, steps: steps, anchorPositions: slots, evenStep: evenStep, gaps: gaps)
    }

    /// The allowed row nearest to `target` (the lowest row on a tie).
    ///
    /// - Precondition: some row is allowed (the caller counted them).
    static func nearestAllowed(to target: [Float], points: FeatureMatrix, allowed: [Bool]) -> Int {
        let d = points.columnCount
        var best = -1
        var bestDistance = Float.infinity
        points.values.withUnsafeBufferPointer { buffer in
            target.withUnsafeBufferPointer { targetBuffer in
                let base = buffer.baseAddress!
                for row in 0..<points.rowCount where allowed[row] {
                    let distance = VectorKernels.squaredDistance(base + row * d, targetBuffer.baseAddress!, count: d)
                    if distance < bestDistance {
                        bestDistance = distance
                        best = row
                    }
                }
            }
        }
        return best
    }
}
