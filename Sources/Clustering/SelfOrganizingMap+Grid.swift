extension SelfOrganizingMap {
    /// The vertical distance between hexagonal rows, √3/2, as MiniSom computes it.
    static let hexagonalRowHeight = 1.5 / 3.0.squareRoot()

    /// MiniSom's plane coordinates of unit (x, y).
    ///
    /// Rectangular grids put the unit at (x, y). Hexagonal grids shift every
    /// other row, counting from the last, half a unit left, and space rows
    /// ``hexagonalRowHeight`` apart, so all six neighbours are 1 away.
    ///
    /// - Parameters:
    ///   - x: column, in `0..<width`.
    ///   - y: row, in `0..<height`.
    ///   - height: rows of the grid, ≥ 1.
    ///   - topology: the grid's cell shape.
    static func position(x: Int, y: Int, height: Int, topology: SOMTopology) -> (x: Double, y: Double) {
        switch topology {
        case .rectangular: return (Double(x), Double(y))
        case .hexagonal:
            // MiniSom shifts every other row, counting from the last, half a unit left.
            let shifted = (height - 1 - y) % 2 == 0
            return (Double(x) - (shifted ? 0.5 : 0), Double(y) * hexagonalRowHeight)
        }
    }

    /// The plane coordinates of unit `unit` of a grid `height` rows tall (unit `u` is at
    /// x = u / height, y = u % height, MiniSom's order).
    public static func position(ofUnit unit: Int, height: Int, topology: SOMTopology) -> (x: Double, y: Double) {
        position(x: unit / height, y: unit % height, height: height, topology: topology)
    }

    /// A grid of about 5·√n units whose side ratio follows the data's two
    /// largest principal components (the longer side along the first).
    ///
    /// - Parameters:
    ///   - data: the items to map, one per row, or a sample of them.
    ///   - itemCount: how many items the map will hold (n), ≥ 0; nil (the default) for `data`'s rows.
    ///     With a sample as `data`, the shape comes from the sample and the size from all items.
    /// - Returns: `width ≥ height ≥ 2`.
    /// - Complexity: O(n × d² + d²) for the principal components, n being `data`'s rows.
    public static func automaticGrid(for data: FeatureMatrix, itemCount: Int? = nil) -> (width: Int, height: Int) {
        let units = max(4.0, 5 * Double(itemCount ?? data.rowCount).squareRoot())
        let variances = principalPlane(data).variances
        let ratio = variances[1] > 1e-12 ? max(1, (variances[0] / variances[1]).squareRoot()) : 1
        let height = max(2, Int((units / ratio).squareRoot().rounded()))
        let width = max(2, Int((units / Double(height)).rounded()))
        return (max(width, height), min(width, height))
    }
}
