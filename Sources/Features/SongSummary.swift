/// The per-track feature vector: what playlists and the song map compare.
///
/// The mean and (population) standard deviation over frames of every
/// frame feature (``FrameFeatureNames``), then the tempo, the pulse clarity
/// and the fraction of near-silent frames. Every dimension is named in
/// ``SongSummary/names`` and the layout is versioned: any change to a
/// dimension or to how it is computed bumps ``SongSummary/version``, so that
/// cached and exported vectors from another version are recognised as stale.
public struct SongSummary: Codable, Sendable, Equatable {
    /// Version of the layout and of the computation behind it.
    public static let version = 2
    /// RMS below this (about -60 dBFS) marks a frame as near-silent.
    public static let silenceRMS: Float = 1e-3

    public static let names: [String] = FrameFeatureNames.all.flatMap { ["\($0)_mean", "\($0)_std"] }
        + ["tempo_bpm", "pulse_clarity", "silent_fraction"]

    public var version: Int
    public var values: [Float]

    public init(version: Int = SongSummary.version, values: [Float]) {
        self.version = version
        self.values = values
    }

    /// The value of the dimension called `name`; nil if there is none.
    public subscript(name: String) -> Float? {
        Self.names.firstIndex(of: name).map { values[$0] }
    }

    /// Pairs of name and value, in order.
    public var named: [(name: String, value: Float)] {
        zip(Self.names, values).map { (name: $0, value: $1) }
    }
}

/// Running mean and variance per dimension (Welford's method, in Double).
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
