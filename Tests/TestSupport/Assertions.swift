import XCTest

/// Asserts `|actual - expected| <= tolerance`, naming `context` on failure.
public func assertClose(
    _ actual: Double, _ expected: Double, tolerance: Double, _ context: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertTrue(actual.isFinite, "\(context()): \(actual) is not finite", file: file, line: line)
    XCTAssertLessThanOrEqual(
        abs(actual - expected), tolerance,
        "\(context()): got \(actual), expected \(expected) ± \(tolerance)", file: file, line: line)
}

/// The largest absolute difference between two equally long sequences.
public func maximumDifference<A: Collection<Float>, B: Collection<Float>>(_ a: A, _ b: B) -> (value: Float, index: Int) {
    var worst: Float = 0
    var worstIndex = 0
    for (index, (x, y)) in zip(a, b).enumerated() where abs(x - y) > worst {
        worst = abs(x - y)
        worstIndex = index
    }
    return (worst, worstIndex)
}
