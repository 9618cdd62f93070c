/// A dense row-major matrix of `Float`: one row per item (a song, a frame),
/// one column per feature.
///
/// The layout is the one NumPy calls C order: the value at (`row`, `column`)
/// is `values[row * columnCount + column]`, so a row is contiguous and can be
/// handed to `DSP.VectorKernels` as a pointer.
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of rows (items), ≥ 0.
    public let rowCount: Int
    /// Number of columns (features per item), ≥ 0.
    public let columnCount: Int
    /// The `rowCount × columnCount` values, row after row.
    public var values: [Float]

    /// A matrix over existing row-major values.
    ///
    /// - Parameters:
    ///   - rowCount: number of rows, ≥ 0.
    ///   - columnCount: number of columns, ≥ 0.
    ///   - values: exactly `rowCount × columnCount` values, row after row.
    /// - Precondition: `values.count == rowCount * columnCount` (a programmer error otherwise).
    public init(rowCount: Int, columnCount: Int, values: [Float]) {
        precondition(values.count == rowCount * columnCount,
                     "matrix of \(rowCount)×\(columnCount) needs \(rowCount * columnCount) values, got \(values.count)")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    /// A matrix from equally long rows.
    ///
    /// - Parameter rows: the rows; all must have the same length. An empty
    ///   array gives a 0 × 0 matrix.
    /// - Precondition: the rows have equal lengths.
    /// - Complexity: O(rows × columns).
    public init(rows: [[Float]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "rows differ in length")
        self.init(rowCount: rows.count, columnCount: width, values: rows.flatMap { $0 })
    }

    /// The values of one row, without copying.
    ///
    /// - Parameter index: the row, in `0..<rowCount`.
    /// - Returns: a slice of ``values`` of length ``columnCount``; its indices
    ///   are those of ``values``, not 0-based.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * columnCount)..<((index + 1) * columnCount)]
    }

    /// The value at (`row`, `column`).
    ///
    /// - Parameters:
    ///   - row: in `0..<rowCount`.
    ///   - column: in `0..<columnCount`.
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columnCount + column] }
        set { values[row * columnCount + column] = newValue }
    }
}
