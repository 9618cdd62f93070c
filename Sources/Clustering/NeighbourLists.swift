import DSP
import Foundation

/// The items' feature rows, gathered, and each item's nearest neighbours
/// sorted by (distance, index).
struct NeighbourLists {
    let itemCount: Int
    let width: Int
    private let dimension: Int
    private let points: [Float]
    private let indices: [Int]
    private let distances: [Float]

    init(items: [Int], data: FeatureMatrix, count: Int) {
        let m = items.count
        let d = data.columnCount
        let k = min(count, m - 1)
        var points = [Float](repeating: 0, count: m * d)
        for (local, row) in items.enumerated() {
            for column in 0..<d { points[local * d + column] = data[row, column] }
        }
        var indices = [Int](repeating: 0, count: m * k)
        var distances = [Float](repeating: 0, count: m * k)
        points.withUnsafeBufferPointer { source in
            indices.withUnsafeMutableBufferPointer { indexTarget in
                distances.withUnsafeMutableBufferPointer { distanceTarget in
                    let source = SendableConstPointer(source.baseAddress!)
                    let indexBase = SendablePointer(indexTarget.baseAddress!)
                    let distanceBase = SendablePointer(distanceTarget.baseAddress!)
                    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, m / 256))
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        var best: [(distance: Float, index: Int)] = []
                        best.reserveCapacity(k + 1)
                        for item in stride(from: worker, to: m, by: workers) {
                            best.removeAll(keepingCapacity: true)
                            let a = source.pointer + item * d
                            for other in 0..<m where other != item {
                                let distance = VectorKernels.squaredDistance(a, source.pointer + other * d, count: d)
                                    .squareRoot()
                                if best.count == k, !((distance, other) < (best[k - 1].distance, best[k - 1].index)) { continue }
                                // Insert in order; the list is short.
                                var at = best.count
                                while at > 0 && (distance, other) < (best[at - 1].distance, best[at - 1].index) { at -= 1 }
                                best.insert((distance, other), at: at)
                                if best.count > k { best.removeLast() }
                            }
                            for (rank, entry) in best.enumerated() {
                                indexBase.pointer[item * k + rank] = entry.index
                                distanceBase.pointer[item * k + rank] = entry.distance
                            }
                        }
                    }
                }
            }
        }
        itemCount = m
        width = k
        dimension = d
        self.points = points
        self.indices = indices
        self.distances = distances
    }

    func neighbours(of item: Int) -> ArraySlice<Int> { indices[(item * width)..<((item + 1) * width)] }
    func neighbourDistances(of item: Int) -> ArraySlice<Float> { distances[(item * width)..<((item + 1) * width)] }

    func distance(_ a: Int, _ b: Int) -> Float {
        points.withUnsafeBufferPointer {
            VectorKernels.squaredDistance($0.baseAddress! + a * dimension, $0.baseAddress! + b * dimension, count: dimension)
                .squareRoot()
        }
    }
}
