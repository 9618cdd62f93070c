extension SelfOrganizingMap {
    /// Mean, first two principal directions and their variances (power iteration).
    ///
    /// The covariance is the biased one (divided by n). Each direction comes
    /// from 200 power iterations from a fixed start, then is deflated out, so
    /// the result is deterministic; a direction's sign is whatever the
    /// iteration converges to.
    ///
    /// - Parameter data: the items, one per row.
    /// - Returns: the column means; two unit-length directions of `d` values;
    ///   their variances (eigenvalues, ≥ 0; 0 when the data has no spread that way).
    /// - Complexity: O(n × d² + 400 × d²).
    static func principalPlane(_ data: FeatureMatrix) -> (mean: [Double], components: [[Double]], variances: [Double]) {
        let n = data.rowCount, d = data.columnCount
        var mean = [Double](repeating: 0, count: d)
        var covariance = [Double](repeating: 0, count: d * d)
        data.values.withUnsafeBufferPointer { x in
            mean.withUnsafeMutableBufferPointer { mean in
                for row in 0..<n { for column in 0..<d { mean[column] += Double(x[row * d + column]) } }
                for column in 0..<d { mean[column] /= Double(max(n, 1)) }
                covariance.withUnsafeMutableBufferPointer { covariance in
                    for row in 0..<n {
                        let values = x.baseAddress! + row * d
                        for a in 0..<d {
                            let da = Double(values[a]) - mean[a]
                            guard da != 0 else { continue }
                            for b in a..<d { covariance[a * d + b] += da * (Double(values[b]) - mean[b]) }
                        }
                    }
                }
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
    ///
    /// Unit (x, y) starts at the mean plus `a·√λ₁·v₁ + b·√λ₂·v₂`, with `a` and
    /// `b` running linearly from −1 to 1 across the grid's columns and rows
    /// (0 for a grid one unit wide or high).
    ///
    /// - Parameters:
    ///   - data: the items, one per row.
    ///   - width: grid columns, ≥ 1.
    ///   - height: grid rows, ≥ 1.
    /// - Returns: a `width × height`-row codebook, unit `x × height + y` in row order.
    /// - Complexity: that of ``principalPlane(_:)`` plus O(units × d).
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
