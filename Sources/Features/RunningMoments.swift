/// Running mean and population variance per dimension, one row at a time
/// (Welford's method, in Double), so a summary never holds all its frames.
struct RunningMoments {
    private(set) var count = 0
    private var mean: [Double]
    private var squaredDeviations: [Double]

    init(dimension: Int) {
        mean = [Double](repeating: 0, count: dimension)
        squaredDeviations = [Double](repeating: 0, count: dimension)
    }

    mutating func add(_ values: UnsafeBufferPointer<Float>) {
        count += 1
        let weight = 1 / Double(count)
        for index in 0..<values.count {
            let value = Double(values[index])
            let delta = value - mean[index]
            mean[index] += delta * weight
            squaredDeviations[index] += delta * (value - mean[index])
        }
    }

    var means: [Double] { mean }
    var standardDeviations: [Double] {
        squaredDeviations.map { count > 0 ? ($0 / Double(count)).squareRoot() : 0 }
    }
}
