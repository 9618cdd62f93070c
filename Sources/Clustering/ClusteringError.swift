/// Why clustering could not run: the one error type of the Clustering stage.
///
/// Every case names the offending value, so its ``description`` can be shown
/// to the user as it is.
public enum ClusteringError: Error, Equatable, Sendable {
    /// A parameter is out of its range; the message names the parameter and its value
    /// (for example `k=0 must be at least 1`).
    case invalidParameter(String)
    /// There are fewer items than the clusters (or map units) asked for.
    case tooFewItems(itemCount: Int, clusterCount: Int)
    /// The value at (`row`, `column`) of the input matrix is NaN or infinite.
    case nonFiniteValue(row: Int, column: Int)
    /// The caller's `shouldStop` said to stop (Ctrl-C, SIGTERM).
    case cancelled
}

extension ClusteringError: CustomStringConvertible {
    /// A one-line message naming the offending value.
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
