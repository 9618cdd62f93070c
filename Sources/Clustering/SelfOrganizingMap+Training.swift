import Foundation

extension SelfOrganizingMap {
    /// Trains the map on the rows of `data`.
    ///
    /// Both trainings start from ``pcaInitialisation(_:width:height:)``; batch
    /// training then runs ``epochs`` epochs of Kohonen's batch map (on a seeded
    /// sample when the data has more than ``trainingSampleSize`` rows), online
    /// training ``iterations`` single-item updates in MiniSom's `train_random`
    /// manner. The result is evaluated by ``evaluate(_:codebook:width:height:topology:jobs:)``.
    ///
    /// - Parameters:
    ///   - data: the items, one per row, all values finite.
    ///   - jobs: threads for the best-unit search, the unit updates and the evaluation, ≥ 1; the
    ///     result does not depend on it.
    ///   - progress: called on the training thread with the steps done and the steps in all
    ///     (batch: epochs, after each; online: items, every 256 and at the end), for a live
    ///     progress line; nil (the default) for none. It does not change the result.
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` for a grid outside 1…``maximumUnitCount``
    ///   units, ``ClusteringError/tooFewItems(itemCount:clusterCount:)`` for no data,
    ///   ``ClusteringError/nonFiniteValue(row:column:)``, or ``ClusteringError/cancelled``.
    /// - Complexity: O(epochs × m × units × d + n × units × d) for batch training on m rows
    ///   (all n, or ``trainingSampleSize``), O(iterations × units × d + n × units × d) online.
    public func train(_ data: FeatureMatrix, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                      progress: ((_ completed: Int, _ total: Int) -> Void)? = nil)
        throws(ClusteringError) -> SOMResult
    {
        guard width >= 1, height >= 1, width <= Self.maximumUnitCount / height else {
            throw .invalidParameter("grid \(width)x\(height) must have 1 to \(Self.maximumUnitCount) units")
        }
        guard data.rowCount >= 1 else { throw .tooFewItems(itemCount: 0, clusterCount: 1) }
        if let trainingSampleSize, trainingSampleSize < 1 {
            throw .invalidParameter("training sample of \(trainingSampleSize) rows must have at least 1")
        }
        try data.requireFiniteValues()
        let shouldStop = self.shouldStop ?? { false }
        let units = width * height
        let positions = (0..<units).map { Self.position(x: $0 / height, y: $0 % height, height: height, topology: topology) }

        switch training {
        case .batch:
            let trainingRows = trainingSampleSize.map { Self.trainingSample(data, rows: $0, seed: seed) } ?? data
            var codebook = Self.pcaInitialisation(trainingRows, width: width, height: height)
            try trainBatch(&codebook, on: trainingRows, positions: positions, jobs: jobs, shouldStop: shouldStop,
                           report: progress ?? { _, _ in })
            return Self.evaluate(data, codebook: codebook, width: width, height: height, topology: topology, jobs: jobs)
        case .online:
            var codebook = Self.pcaInitialisation(data, width: width, height: height)
            try trainOnline(&codebook, on: data, positions: positions, shouldStop: shouldStop,
                            report: progress ?? { _, _ in })
            return Self.evaluate(data, codebook: codebook, width: width, height: height, topology: topology, jobs: jobs)
        }
    }

    /// A seeded sample of `rows` rows of `data`, in their original order; `data` itself when it has no more rows.
    ///
    /// The rows are the first `rows` of a seeded shuffle (``SeededGenerator``), so the same seed
    /// always picks the same rows.
    ///
    /// - Parameters:
    ///   - data: the items, one per row.
    ///   - rows: the sample's size, ≥ 1.
    ///   - seed: seeds the shuffle.
    /// - Complexity: O(n + rows × d).
    public static func trainingSample(_ data: FeatureMatrix, rows: Int, seed: UInt64) -> FeatureMatrix {
        guard data.rowCount > rows else { return data }
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<data.rowCount)
        order.shuffle(using: &generator)
        let chosen = order.prefix(rows).sorted()
        let d = data.columnCount
        var values = [Float](repeating: 0, count: rows * d)
        data.values.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { target in
                for (position, row) in chosen.enumerated() {
                    for column in 0..<d { target[position * d + column] = source[row * d + column] }
                }
            }
        }
        return FeatureMatrix(rowCount: rows, columnCount: d, values: values)
    }

    /// Kohonen's batch map: each epoch moves every unit to the
    /// neighbourhood-weighted mean of all items, by their best units.
    ///
    /// The Gaussian radius shrinks linearly from `max(max(width, height) / 2, finalRadius)`
    /// to ``finalRadius``; weights below 1e-9 are skipped.
    ///
    /// - Parameters:
    ///   - codebook: the starting codebook, trained in place.
    ///   - data: the items, one per row.
    ///   - positions: each unit's plane position (``position(x:y:height:topology:)``).
    ///   - jobs: threads for the best-unit search, ≥ 1.
    ///   - shouldStop: asked before every epoch.
    ///   - report: told after every epoch (epochs done, epochs in all).
    /// - Throws: ``ClusteringError/cancelled`` when `shouldStop` returns true.
    /// - Complexity: O(epochs × (n × units × d + units² × d)).
    private func trainBatch(_ codebook: inout FeatureMatrix, on data: FeatureMatrix,
                            positions: [(x: Double, y: Double)], jobs: Int,
                            shouldStop: () -> Bool, report: (Int, Int) -> Void) throws(ClusteringError) {
        let units = width * height
        let d = data.columnCount
        let startRadius = max(Double(max(width, height)) / 2, finalRadius)
        let epochCount = max(1, epochs)
        // Past the first epoch, last epoch's best units guide the search (the same units, found sooner).
        let guided = units >= 64 && units <= Self.guidedSearchUnitLimit && data.rowCount > units
        var best: [Int] = []
        for epoch in 0..<epochCount {
            if shouldStop() { throw .cancelled }
            let progress = epochs > 1 ? Double(epoch) / Double(epochs - 1) : 1
            let radius = startRadius + (finalRadius - startRadius) * progress
            best = guided && epoch > 0
                ? Self.bestUnits(data, codebook: codebook, units: units, jobs: jobs, guesses: best)
                : Self.bestUnits(data, codebook: codebook, units: units, jobs: jobs)
            // Per-unit sums and counts, then neighbourhood-weighted means.
            var sums = [Double](repeating: 0, count: units * d)
            var counts = [Double](repeating: 0, count: units)
            data.values.withUnsafeBufferPointer { x in
                sums.withUnsafeMutableBufferPointer { sums in
                    for row in 0..<data.rowCount {
                        let unit = best[row]
                        counts[unit] += 1
                        for column in 0..<d { sums[unit * d + column] += Double(x[row * d + column]) }
                    }
                }
            }
            let occupied = (0..<units).filter { counts[$0] > 0 }
            let twoSigmaSquared = 2 * radius * radius
            var updated = codebook
            // Each unit's weighted mean is its own: units are spread over the threads, and each one
            // adds its terms in the same order whatever the threads, so the result does not depend on `jobs`.
            sums.withUnsafeBufferPointer { sumBuffer in
                counts.withUnsafeBufferPointer { countBuffer in
                    updated.values.withUnsafeMutableBufferPointer { target in
                        let sumPointer = SendableConstPointer(sumBuffer.baseAddress!)
                        let countPointer = SendableConstPointer(countBuffer.baseAddress!)
                        let output = SendablePointer(target.baseAddress!)
                        RowChunks.forEach(units, jobs: units >= 64 ? jobs : 1) { _, chunk in
                            var numerator = [Double](repeating: 0, count: d)
                            numerator.withUnsafeMutableBufferPointer { numerator in
                                for unit in chunk {
                                    for column in 0..<d { numerator[column] = 0 }
                                    var denominator = 0.0
                                    for other in occupied {
                                        let dx = positions[unit].x - positions[other].x
                                        let dy = positions[unit].y - positions[other].y
                                        let weight = exp(-(dx * dx + dy * dy) / twoSigmaSquared)
                                        guard weight > 1e-9 else { continue }
                                        denominator += weight * countPointer.pointer[other]
                                        let source = sumPointer.pointer + other * d
                                        for column in 0..<d { numerator[column] += weight * source[column] }
                                    }
                                    if denominator > 0 {
                                        for column in 0..<d {
                                            output.pointer[unit * d + column] = Float(numerator[column] / denominator)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            codebook = updated
            report(epoch + 1, epochCount)
        }
    }

    /// Online training, as MiniSom's `train_random`: items drawn at random
    /// pull their best unit and its Gaussian neighbourhood towards them.
    ///
    /// Learning rate 0.5 and radius `max(width, height) / 2` (at least 1e-3)
    /// decay linearly to zero; influences below 1e-7 are skipped. Draws come
    /// from a ``SeededGenerator`` seeded with ``seed``.
    ///
    /// - Parameters:
    ///   - codebook: the starting codebook, trained in place.
    ///   - data: the items, one per row.
    ///   - positions: each unit's plane position (``position(x:y:height:topology:)``).
    ///   - shouldStop: asked every 256 items.
    ///   - report: told every 256 items and at the end (items done, items in all).
    /// - Throws: ``ClusteringError/cancelled`` when `shouldStop` returns true.
    /// - Complexity: O(iterations × units × d).
    private func trainOnline(_ codebook: inout FeatureMatrix, on data: FeatureMatrix,
                             positions: [(x: Double, y: Double)],
                             shouldStop: () -> Bool, report: (Int, Int) -> Void) throws(ClusteringError) {
        let units = width * height
        let d = data.columnCount
        var generator = SeededGenerator(seed: seed)
        let startRate = 0.5
        let startRadius = Double(max(width, height)) / 2
        let total = max(1, iterations)
        var item = [Float](repeating: 0, count: d)
        for step in 0..<total {
            if step % 256 == 0 {
                if step > 0 { report(step, total) }
                if shouldStop() { throw .cancelled }
            }
            let remaining = 1 - Double(step) / Double(total)
            let rate = startRate * remaining
            let radius = max(startRadius * remaining, 1e-3)
            let row = Int(generator.nextUnit() * Double(data.rowCount)) % data.rowCount
            for column in 0..<d { item[column] = data[row, column] }
            let winner = item.withUnsafeBufferPointer { x in
                codebook.values.withUnsafeBufferPointer { w in
                    Self.nearestUnits(to: x.baseAddress!, codebook: w.baseAddress!, unitCount: units, dimension: d).best
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
        report(total, total)
    }
}
