extension SelfOrganizingMap {
    /// Best units, quantisation and topographic errors and the U-matrix of a codebook.
    ///
    /// Matches MiniSom 2.3.6's `winner`, `quantization_error`,
    /// `topographic_error` and `distance_map(scaling="sum")` (fixtures in
    /// `Tests/ClusteringTests/Fixtures/minisom-reference.json`). Best and
    /// second-best units come from ``nearestUnits(to:codebook:unitCount:dimension:)``
    /// (``nearestUnitPairs(_:codebook:width:height:jobs:)`` on maps of 64 units or more: the same pairs);
    /// the distance to the best unit is then recomputed in Double for the
    /// quantisation error. Two units are neighbours when they are at most √2
    /// apart on a rectangular grid, exactly 1 apart on a hexagonal one.
    ///
    /// - Parameters:
    ///   - data: the items, one per row, at least one.
    ///   - codebook: `width × height` rows, as many columns as `data`.
    ///   - width: grid columns, ≥ 1.
    ///   - height: grid rows, ≥ 1.
    ///   - topology: the grid's cell shape.
    ///   - jobs: threads for the search, ≥ 1 (default 1); the result does not depend on it.
    /// - Returns: the map with its quality measures; the topographic error is
    ///   NaN for a one-unit map.
    /// - Complexity: O(n × units × d + units × d).
    public static func evaluate(_ data: FeatureMatrix, codebook: FeatureMatrix, width: Int, height: Int,
                                topology: SOMTopology, jobs: Int = 1) -> SOMResult {
        let units = width * height
        let d = data.columnCount
        let rows = data.rowCount
        var best = [Int](repeating: 0, count: rows)
        var second = [Int](repeating: 0, count: rows)
        var exactDistance = [Double](repeating: 0, count: rows)
        // Large maps rule most units out by the triangle inequality (the same pairs as the scan).
        let guided = units >= 64 && units <= guidedSearchUnitLimit && rows > units
        if guided {
            (best, second) = nearestUnitPairs(data, codebook: codebook, width: width, height: height, jobs: max(1, jobs))
        }
        data.values.withUnsafeBufferPointer { x in
            codebook.values.withUnsafeBufferPointer { w in
                best.withUnsafeMutableBufferPointer { bestBuffer in
                    second.withUnsafeMutableBufferPointer { secondBuffer in
                        exactDistance.withUnsafeMutableBufferPointer { distanceBuffer in
                            let xs = SendableConstPointer(x.baseAddress!), ws = SendableConstPointer(w.baseAddress!)
                            let bests = SendablePointer(bestBuffer.baseAddress!)
                            let seconds = SendablePointer(secondBuffer.baseAddress!)
                            let distances = SendablePointer(distanceBuffer.baseAddress!)
                            RowChunks.forEach(rows, jobs: max(1, jobs)) { _, chunk in
                                for row in chunk {
                                    let nearest = guided
                                        ? (best: bests.pointer[row], second: seconds.pointer[row])
                                        : nearestUnits(to: xs.pointer + row * d, codebook: ws.pointer, unitCount: units,
                                                       dimension: d)
                                    bests.pointer[row] = nearest.best
                                    seconds.pointer[row] = nearest.second
                                    var exact = 0.0
                                    for column in 0..<d {
                                        let difference = Double(xs.pointer[row * d + column])
                                            - Double(ws.pointer[nearest.best * d + column])
                                        exact += difference * difference
                                    }
                                    distances.pointer[row] = exact.squareRoot()
                                }
                            }
                        }
                    }
                }
            }
        }
        // Summed in row order, so the error does not depend on `jobs`.
        var distanceTotal = 0.0
        for distance in exactDistance { distanceTotal += distance }
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

    /// The U-matrix, as MiniSom's `distance_map(scaling="sum")`.
    ///
    /// Per unit, the sum of Euclidean distances (in Double) from its codebook
    /// vector to those of its grid neighbours (eight on a rectangular grid, six
    /// on a hexagonal one, fewer at the edges), then divided by the largest sum.
    ///
    /// - Parameters:
    ///   - codebook: `width × height` rows.
    ///   - width: grid columns, ≥ 1.
    ///   - height: grid rows, ≥ 1.
    ///   - topology: the grid's cell shape.
    /// - Returns: one value per unit in [0, 1]; all 0 when every unit is the same.
    /// - Complexity: O(units × d).
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
}
