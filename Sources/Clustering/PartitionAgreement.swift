import Foundation

/// How well a clustering agrees with reference labels.
///
/// Each score matches the scikit-learn 1.9 function of the same name,
/// degenerate cases included (see the committed fixtures in
/// `Tests/ClusteringTests/Fixtures`). Labels may be any integers; only the
/// partition they describe matters.
public struct PartitionAgreement: Sendable, Equatable, Codable {
    /// Adjusted Rand index (`adjusted_rand_score`): 1 for identical partitions, about 0 for chance.
    public var adjustedRandIndex: Double
    /// Adjusted mutual information, arithmetic normalisation (`adjusted_mutual_info_score`).
    public var adjustedMutualInformation: Double
    /// Normalised mutual information, arithmetic normalisation (`normalized_mutual_info_score`).
    public var normalizedMutualInformation: Double
    /// Each cluster holds one class only (`homogeneity_score`).
    public var homogeneity: Double
    /// Each class sits in one cluster only (`completeness_score`).
    public var completeness: Double
    /// Harmonic mean of homogeneity and completeness (`v_measure_score`, β = 1).
    public var vMeasure: Double

    /// Scores `predicted` against `reference`; both must be equally long.
    public init(reference: [Int], predicted: [Int]) {
        precondition(reference.count == predicted.count, "label arrays differ in length")
        let table = Contingency(reference, predicted)
        adjustedRandIndex = table.adjustedRandIndex()
        let mutualInformation = table.mutualInformation()
        let referenceEntropy = Contingency.entropy(table.rowSums, total: table.total)
        let predictedEntropy = Contingency.entropy(table.columnSums, total: table.total)

        if table.total == 0 {
            (homogeneity, completeness, vMeasure) = (1, 1, 1)
        } else {
            homogeneity = referenceEntropy != 0 ? mutualInformation / referenceEntropy : 1
            completeness = predictedEntropy != 0 ? mutualInformation / predictedEntropy : 1
            vMeasure = homogeneity + completeness == 0 ? 0 : 2 * homogeneity * completeness / (homogeneity + completeness)
        }

        let classes = table.rowSums.count
        let clusters = table.columnSums.count
        // The same partition under other names (sklearn reaches 1 here only through rounding luck).
        let samePartition = table.cells.count == classes && classes == clusters
        if (classes == 1 && clusters == 1) || (classes == 0 && clusters == 0) || samePartition {
            normalizedMutualInformation = 1
            adjustedMutualInformation = 1
            return
        }
        normalizedMutualInformation = mutualInformation == 0 ? 0
            : mutualInformation / ((referenceEntropy + predictedEntropy) / 2)
        if classes == 1 || clusters == 1 {
            adjustedMutualInformation = 0
            return
        }
        let expected = table.expectedMutualInformation()
        let epsilon = Double.ulpOfOne
        var denominator = (referenceEntropy + predictedEntropy) / 2 - expected
        denominator = denominator < 0 ? min(denominator, -epsilon) : max(denominator, epsilon)
        var numerator = mutualInformation - expected
        numerator = numerator < 0 ? min(numerator, -epsilon) : max(numerator, epsilon)
        adjustedMutualInformation = numerator / denominator
    }
}
