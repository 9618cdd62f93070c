import DSP
import Foundation

/// The grid a self-organizing map is laid out on.
public enum SOMTopology: String, Sendable, Codable, CaseIterable {
    case rectangular
    case hexagonal
}

/// How a self-organizing map is trained.
public enum SOMTraining: String, Sendable, Codable, CaseIterable {
    /// Batch SOM: every epoch assigns all items, then moves every unit to
    /// the neighbourhood-weighted mean of the items (Kohonen's batch map).
    case batch
    /// One item at a time: learning rate 0.5 and radius max(w, h)/2, both
    /// decaying linearly to zero over the iterations.
    case online
}

/// A trained map: the codebook and where each item landed.
public struct SOMResult: Sendable {
    /// Grid size: `width` columns (x) by `height` rows (y). Unit `u` sits at
    /// `x = u / height`, `y = u % height` (MiniSom's order).
    public var width: Int
    public var height: Int
    public var topology: SOMTopology
    /// One row per unit.
    public var codebook: FeatureMatrix
    /// The best-matching unit of each item.
    public var bestUnits: [Int]
    /// Mean distance from each item to its best-matching unit (MiniSom `quantization_error`).
    public var quantizationError: Double
    /// Fraction of items whose best and second-best units are not neighbours
    /// (MiniSom `topographic_error`).
    public var topographicError: Double
    /// The U-matrix: per unit, the summed distance to its grid neighbours'
    /// codebook vectors, divided by the largest (MiniSom `distance_map()`).
    public var uMatrix: [Double]

    /// The unit's position on the plane (hexagonal rows are offset, as MiniSom draws them).
    public func position(ofUnit unit: Int) -> (x: Double, y: Double) {
        SelfOrganizingMap.position(x: unit / height, y: unit % height, height: height, topology: topology)
    }
}

/// A self-organizing map (Kohonen), in pure Swift.
///
/// Batch training starts from the plane of the data's two largest principal
/// components (PCA initialisation) and shrinks a Gaussian neighbourhood from
/// `max(width, height) / 2` to ``finalRadius`` over ``epochs``. Online
/// training follows MiniSom's `train_random` with linear decay. Quality
/// measures and the U-matrix follow MiniSom 2.3 (see the fixtures in
/// `Tests/ClusteringTests/Fixtures`).
public struct SelfOrganizingMap: Sendable {
    public var width: Int
    public var height: Int
    public var topology: SOMTopology = .rectangular
    public var training: SOMTraining = .batch
    /// Batch epochs.
    public var epochs = 20
    public var finalRadius = 1.5
    /// Online iterations (items drawn at random).
    public var iterations = 10_000
    public var seed: UInt64 = 0
    /// Asked every epoch (batch) or every 256 items (online); when it returns true,
    /// ``train(_:jobs:)`` throws ``ClusteringError/cancelled``.
    public var shouldStop: (@Sendable () -> Bool)?

    /// The most units a map may have (a 500×500 grid).
    public static let maximumUnitCount = 250_000

    public init(width: Int, height: Int, topology: SOMTopology = .rectangular, training: SOMTraining = .batch,
                seed: UInt64 = 0) {
        self.width = width
        self.height = height
        self.topology = topology
        self.training = training
        self.seed = seed
    }

    static let hexagonalRowHeight = 1.5 / 3.0.squareRoot()

    /// MiniSom's plane coordinates of unit (x, y).
    static func position(x: Int, y: Int, height: Int, topology: SOMTopology) -> (x: Double, y: Double) {
        switch topology {
        case .rectangular: return (Double(x), Double(y))
        case .hexagonal:
            // MiniSom shifts every other row, counting from the last, half a unit left.
            let shifted = (height - 1 - y) % 2 == 0
            return (Double(x) - (shifted ? 0.5 : 0), Double(y) * hexagonalRowHeight)
        }
    }

    /// A grid of about 5·√n units whose side ratio follows the data's two
    /// largest principal components (the longer side along the first).
    public static func automaticGrid(for data: FeatureMatrix) -> (width: Int, height: Int) {
        let units = max(4.0, 5 * Double(data.rowCount).squareRoot())
        let variances = principalPlane(data).variances
        let ratio = variances[1] > 1e-12 ? max(1, (variances[0] / variances[1]).squareRoot()) : 1
        let height = max(2, Int((units / ratio).squareRoot().rounded()))
        let width = max(2, Int((units / Double(height)).rounded()))
        return (max(width, height), min(width, height))
    }

    /// Trains the map on the rows of `data`.
    ///
    /// - Parameter jobs: threads for the best-unit search, ≥ 1.
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` for a grid outside 1…``maximumUnitCount``
    ///   units, ``ClusteringError/tooFewItems(itemCount:clusterCount:)`` for no data,
    ///   ``ClusteringError/nonFiniteValue(row:column:)``, or ``ClusteringError/cancelled``.
    /// - Complexity: O(epochs × n × units × d) for batch training, O(iterations × units × d) online.
    public func train(_ data: FeatureMatrix, jobs: Int = ProcessInfo.processInfo.activeProcessorCount)
        throws(ClusteringError) -> SOMResult
    {
        guard width >= 1, height >= 1, width <= Self.maximumUnitCount / height else {
            throw .invalidParameter("grid \(width)x\(height) must have 1 to \(Self.maximumUnitCount) units")
        }
        guard data.rowCount >= 1 else { throw .tooFewItems(itemCount: 0, clusterCount: 1) }
        try data.requireFiniteValues()
        let shouldStop = self.shouldStop ?? { false }
        let units = width * height
        let d = data.columnCount
        let positions = (0..<units).map { Self.position(x: $0 / height, y: $0 % height, height: height, topology: topology) }
        var codebook = Self.pcaInitialisation(data, width: width, height: height)

        switch training {
        case .batch:
            let startRadius = max(Double(max(width, height)) / 2, finalRadius)
            for epoch in 0..<max(1, epochs) {
                if shouldStop() { throw .cancelled }
                let progress = epochs > 1 ? Double(epoch) / Double(epochs - 1) : 1
                let radius = startRadius + (finalRadius - startRadius) * progress
                let best = Self.bestUnits(data, codebook: codebook, units: units, jobs: jobs)
                // Per-unit sums and counts, then neighbourhood-weighted means.
                var sums = [Double](repeating: 0, count: units * d)
                var counts = [Double](repeating: 0, count: units)
                for row in 0..<data.rowCount {
                    let unit = best[row]
                    counts[unit] += 1
                    for column in 0..<d { sums[unit * d + column] += Double(data[row, column]) }
                }
                let occupied = (0..<units).filter { counts[$0] > 0 }
                let twoSigmaSquared = 2 * radius * radius
                var updated = codebook
                for unit in 0..<units {
                    var numerator = [Double](repeating: 0, count: d)
                    var denominator = 0.0
                    for other in occupied {
                        let dx = positions[unit].x - positions[other].x
                        let dy = positions[unit].y - positions[other].y
                        let weight = exp(-(dx * dx + dy * dy) / twoSigmaSquared)
                        guard weight > 1e-9 else { continue }
                        denominator += weight * counts[other]
                        for column in 0..<d { numerator[column] += weight * sums[other * d + column] }
                    }
                    if denominator > 0 {
                        for column in 0..<d { updated[unit, column] = Float(numerator[column] / denominator) }
                    }
                }
                codebook = updated
            }
        case .online:
            var generator = SeededGenerator(seed: seed)
            let startRate = 0.5
            let startRadius = Double(max(width, height)) / 2
            let total = max(1, iterations)
            var item = [Float](repeating: 0, count: d)
            for step in 0..<total {
                if step % 256 == 0 && shouldStop() { throw .cancelled }
                let remaining = 1 - Double(step) / Double(total)
                let rate = startRate * remaining
                let radius = max(startRadius * remaining, 1e-3)
                let row = Int(generator.nextUnit() * Double(data.rowCount)) % data.rowCount
                for column in 0..<d { item[column] = data[row, column] }
                let winner = item.withUnsafeBufferPointer { x in
                    codebook.values.withUnsafeBufferPointer { w in
                        (0..<units).min {
                            VectorKernels.squaredDistance(x.baseAddress!, w.baseAddress! + $0 * d, count: d)
                                < VectorKernels.squaredDistance(x.baseAddress!, w.baseAddress! + $1 * d, count: d)
                        }!
                    }
                }
                let twoSigmaSquared = 2 * radius * radius
                for unit in 0..<units {
                    let dx = positions[unit].x - positions[winner].x
                    let dy = positions[unit].y - positions[winner].y
                    let influence = Float(rate * exp(-(dx * dx + dy * dy) / twoSigmaSquared))
                    guard influence > 1e-7 else { continue }
                    for column in 0..<d { codebook[unit, column] += influence * (item[column] - codebook[unit, column]) }
                }
            }
        }
        return Self.evaluate(data, codebook: codebook, width: width, height: height, topology: topology, jobs: jobs)
    }

    /// Best units, quantisation and topographic errors and the U-matrix of a codebook.
    public static func evaluate(_ data: FeatureMatrix, codebook: FeatureMatrix, width: Int, height: Int,
                                topology: SOMTopology, jobs: Int = 1) -> SOMResult {
        let units = width * height
        let d = data.columnCount
        var best = [Int](repeating: 0, count: data.rowCount)
        var second = [Int](repeating: 0, count: data.rowCount)
        var distanceTotal = 0.0
        data.values.withUnsafeBufferPointer { x in
            codebook.values.withUnsafeBufferPointer { w in
                for row in 0..<data.rowCount {
                    var first = (distance: Float.infinity, unit: 0)
                    var next = (distance: Float.infinity, unit: 0)
                    for unit in 0..<units {
                        let distance = VectorKernels.squaredDistance(x.baseAddress! + row * d, w.baseAddress! + unit * d, count: d)
                        if distance < first.distance {
                            next = first
                            first = (distance, unit)
                        } else if distance < next.distance {
                            next = (distance, unit)
                        }
                    }
                    best[row] = first.unit
                    second[row] = next.unit
                    var exact = 0.0
                    for column in 0..<d {
                        let difference = Double(x[row * d + column]) - Double(w[first.unit * d + column])
                        exact += difference * difference
                    }
                    distanceTotal += exact.squareRoot()
                }
            }
        }
        var errors = 0
        if units > 1 {
            for row in 0..<data.rowCount {
                let (a, b) = (best[row], second[row])
                switch topology {
                case .rectangular:
                    let dx = Double(a / height - b / height), dy = Double(a % height - b % height)
                    if (dx * dx + dy * dy).squareRoot() > 1.42 { errors += 1 }
                case .hexagonal:
                    let p = position(x: a / height, y: a % height, height: height, topology: .hexagonal)
                    let q = position(x: b / height, y: b % height, height: height, topology: .hexagonal)
                    let distance = ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
                    if abs(distance - 1) > 1e-8 + 1e-5 * distance { errors += 1 }
                }
            }
        }
        return SOMResult(
            width: width, height: height, topology: topology, codebook: codebook, bestUnits: best,
            quantizationError: distanceTotal / Double(data.rowCount),
            topographicError: units > 1 ? Double(errors) / Double(data.rowCount) : .nan,
            uMatrix: uMatrix(codebook, width: width, height: height, topology: topology))
    }

    /// MiniSom `distance_map(scaling="sum")`.
    static func uMatrix(_ codebook: FeatureMatrix, width: Int, height: Int, topology: SOMTopology) -> [Double] {
        let rectangular = [(0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1)]
        let hexagonalEvenY = [(0, 1), (1, 0), (0, -1), (-1, -1), (-1, 0), (-1, 1)]
        let hexagonalOddY = [(1, 1), (1, 0), (1, -1), (0, -1), (-1, 0), (0, 1)]
        let d = codebook.columnCount
        var values = [Double](repeating: 0, count: width * height)
        for x in 0..<width {
            for y in 0..<height {
                let offsets = topology == .rectangular ? rectangular : (y % 2 == 0 ? hexagonalEvenY : hexagonalOddY)
                var total = 0.0
                for (i, j) in offsets {
                    let nx = x + i, ny = y + j
                    guard nx >= 0 && nx < width && ny >= 0 && ny < height else { continue }
                    var squared = 0.0
                    for column in 0..<d {
                        let difference = Double(codebook[x * height + y, column]) - Double(codebook[nx * height + ny, column])
                        squared += difference * difference
                    }
                    total += squared.squareRoot()
                }
                values[x * height + y] = total
            }
        }
        let largest = values.max() ?? 0
        return largest > 0 ? values.map { $0 / largest } : values
    }

    /// Best units of every row, in parallel.
    static func bestUnits(_ data: FeatureMatrix, codebook: FeatureMatrix, units: Int, jobs: Int) -> [Int] {
        let d = data.columnCount
        let rows = data.rowCount
        let chunks = max(1, min(jobs, rows / 256 + 1))
        let result = UnsafeMutableBufferPointer<Int>.allocate(capacity: rows)
        defer { result.deallocate() }
        let output = SendablePointer(result.baseAddress!)
        data.values.withUnsafeBufferPointer { x in
            codebook.values.withUnsafeBufferPointer { w in
                let xs = SendableConstPointer(x.baseAddress!)
                let ws = SendableConstPointer(w.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let first = chunk * rows / chunks
                    let last = (chunk + 1) * rows / chunks
                    for row in first..<last {
                        var best = Float.infinity
                        var bestUnit = 0
                        for unit in 0..<units {
                            let distance = VectorKernels.squaredDistance(xs.pointer + row * d, ws.pointer + unit * d, count: d)
                            if distance < best {
                                best = distance
                                bestUnit = unit
                            }
                        }
                        output.pointer[row] = bestUnit
                    }
                }
            }
        }
        return Array(result)
    }

    /// Mean, first two principal directions and their variances (power iteration).
    static func principalPlane(_ data: FeatureMatrix) -> (mean: [Double], components: [[Double]], variances: [Double]) {
        let n = data.rowCount, d = data.columnCount
        var mean = [Double](repeating: 0, count: d)
        for row in 0..<n { for column in 0..<d { mean[column] += Double(data[row, column]) } }
        for column in 0..<d { mean[column] /= Double(max(n, 1)) }
        var covariance = [Double](repeating: 0, count: d * d)
        for row in 0..<n {
            for a in 0..<d {
                let da = Double(data[row, a]) - mean[a]
                guard da != 0 else { continue }
                for b in a..<d { covariance[a * d + b] += da * (Double(data[row, b]) - mean[b]) }
            }
        }
        for a in 0..<d { for b in a..<d {
            covariance[a * d + b] /= Double(max(n, 1))
            covariance[b * d + a] = covariance[a * d + b]
        } }
        var components: [[Double]] = []
        var variances: [Double] = []
        var deflated = covariance
        for index in 0..<2 {
            var vector = (0..<d).map { 1.0 / Double(d).squareRoot() + (Double(($0 * 7919 + index * 104729) % 97) / 970) }
            var value = 0.0
            for _ in 0..<200 {
                var next = [Double](repeating: 0, count: d)
                for a in 0..<d { for b in 0..<d { next[a] += deflated[a * d + b] * vector[b] } }
                let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 1e-15 else { value = 0; break }
                value = norm
                vector = next.map { $0 / norm }
            }
            components.append(vector)
            variances.append(value)
            for a in 0..<d { for b in 0..<d { deflated[a * d + b] -= value * vector[a] * vector[b] } }
        }
        return (mean, components, variances)
    }

    /// Units spread over the principal plane: ±√(variance) along each component.
    static func pcaInitialisation(_ data: FeatureMatrix, width: Int, height: Int) -> FeatureMatrix {
        let (mean, components, variances) = principalPlane(data)
        let d = data.columnCount
        var codebook = FeatureMatrix(rowCount: width * height, columnCount: d,
                                     values: [Float](repeating: 0, count: width * height * d))
        for x in 0..<width {
            for y in 0..<height {
                let a = width > 1 ? Double(x) / Double(width - 1) * 2 - 1 : 0
                let b = height > 1 ? Double(y) / Double(height - 1) * 2 - 1 : 0
                for column in 0..<d {
                    codebook[x * height + y, column] = Float(mean[column]
                        + a * variances[0].squareRoot() * components[0][column]
                        + b * variances[1].squareRoot() * components[1][column])
                }
            }
        }
        return codebook
    }
}
