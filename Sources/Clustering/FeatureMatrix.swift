/// A dense row-major matrix of `Float`: one row per item (a song), one column
/// per feature.
public struct FeatureMatrix: Sendable, Equatable {
    public let rowCount: Int
    public let columnCount: Int
    public var values: [Float]

    public init(rowCount: Int, columnCount: Int, values: [Float]) {
        precondition(values.count == rowCount * columnCount,
                     "matrix of \(rowCount)×\(columnCount) needs \(rowCount * columnCount) values, got \(values.count)")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    /// A matrix from equally long rows.
    public init(rows: [[Float]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "rows differ in length")
        self.init(rowCount: rows.count, columnCount: width, values: rows.flatMap { $0 })
    }

    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * columnCount)..<((index + 1) * columnCount)]
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columnCount + column] }
        set { values[row * columnCount + column] = newValue }
    }
}

/// Why clustering could not run.
public enum ClusteringError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidParameter(String)
    case tooFewItems(itemCount: Int, clusterCount: Int)
    case nonFiniteValue(row: Int, column: Int)
    /// The caller's `shouldStop` said to stop (Ctrl-C, SIGTERM).
    case cancelled

    public var description: String {
        switch self {
        case let .invalidParameter(message): return message
        case let .tooFewItems(itemCount, clusterCount):
            return "cannot make \(clusterCount) clusters from \(itemCount) items"
        case let .nonFiniteValue(row, column): return "value at row \(row), column \(column) is not finite"
        case .cancelled: return "stopped on request"
        }
    }
}
