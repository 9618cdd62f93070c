/// Files a batch did not get to because it was cancelled (see ``Cancellation``).
public struct NotAnalysedError: Error, CustomStringConvertible {
    public var description: String { "not analysed: the run was interrupted" }
}
