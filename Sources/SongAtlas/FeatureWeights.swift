import Features

/// Weights of the feature groups; each group's dimensions are scaled so that
/// a weight of 1 gives the group as much influence as any other, however
/// many dimensions it has.
///
/// Groups (``FeatureGroup``, defined in Features) map to dimensions through
/// ``SummaryLayout/groups``, never through dimension names.
public struct FeatureWeights: Sendable, Equatable, Codable {
    /// Weight of ``FeatureGroup/timbre``, ≥ 0; default 1.
    public var timbre: Double = 1
    /// Weight of ``FeatureGroup/harmony``, ≥ 0; default 0.5.
    public var harmony: Double = 0.5
    /// Weight of ``FeatureGroup/rhythm``, ≥ 0; default 0.5.
    public var rhythm: Double = 0.5
    /// Weight of ``FeatureGroup/loudness``, ≥ 0; default 0.5.
    public var loudness: Double = 0.5
    /// Weight of ``FeatureGroup/texture``, ≥ 0; default 1.
    public var texture: Double = 1

    /// Weights per group; each ≥ 0 (0 leaves a group out).
    public init(timbre: Double = 1, harmony: Double = 0.5, rhythm: Double = 0.5, loudness: Double = 0.5,
                texture: Double = 1) {
        self.timbre = timbre
        self.harmony = harmony
        self.rhythm = rhythm
        self.loudness = loudness
        self.texture = texture
    }

    /// The weight of `group`.
    public subscript(group: FeatureGroup) -> Double {
        switch group {
        case .timbre: timbre
        case .harmony: harmony
        case .rhythm: rhythm
        case .loudness: loudness
        case .texture: texture
        }
    }

    /// What is wrong with these weights, or nil when they can be used: each weight
    /// must be finite and ≥ 0, and at least one must be above 0 (with every group
    /// at 0 no feature counts and every song sits at the same point).
    ///
    /// - Returns: one sentence naming the group and its value, without a flag name (the caller adds it).
    public var problem: String? {
        for group in FeatureGroup.allCases where !(self[group] >= 0 && self[group].isFinite) {
            return "\(group.rawValue) must be a finite weight ≥ 0, got \(self[group])"
        }
        if FeatureGroup.allCases.allSatisfy({ self[$0] == 0 }) {
            return "every group has weight 0, so no feature would count; give at least one group a weight above 0"
        }
        return nil
    }

    /// One weight per summary dimension: the group weight over √(dimensions in the group).
    ///
    /// - Parameter layout: the summary layout whose dimensions are weighted; default ``SummaryLayout/current``.
    /// - Returns: `layout.dimensionCount` weights, in vector order, each ≥ 0 when the group weights are.
    /// - Complexity: O(`layout.dimensionCount`).
    public func perDimension(layout: SummaryLayout = .current) -> [Double] {
        let groups = layout.groups
        var counts: [FeatureGroup: Int] = [:]
        for group in groups { counts[group, default: 0] += 1 }
        return groups.map { group in self[group] / Double(counts[group]!).squareRoot() }
    }
}
