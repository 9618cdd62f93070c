import Foundation

/// How well an estimated segmentation agrees with a reference one.
///
/// Each score reproduces mir_eval 0.8 (`segment.detection`, `segment.pairwise`,
/// `segment.nce`, after the interval adjustment `segment.evaluate` applies);
/// see `Tests/SegmentationTests/Fixtures/README.md` for the exact rules.
public struct SegmentAgreement: Sendable, Equatable, Codable {
    /// Boundary hit rate at ±0.5 s and ±3 s, with and without the first and last boundary.
    public var hitRate05: PrecisionRecall
    public var hitRate05Trimmed: PrecisionRecall
    public var hitRate3: PrecisionRecall
    public var hitRate3Trimmed: PrecisionRecall
    /// Pairwise frame-clustering precision, recall and F (10 Hz frames).
    public var pairwise: PrecisionRecall
    /// Normalised conditional entropies: over-segmentation, under-segmentation and their F.
    public var overSegmentation: Double
    public var underSegmentation: Double
    public var entropyF: Double

    public static let frameSeconds = 0.1

    public init(reference rawReference: [Section], estimate rawEstimate: [Section]) {
        let reference = Self.adjust(rawReference, minimum: 0, maximum: nil)
        let end = reference.map(\.end).max() ?? 0
        let estimate = Self.adjust(rawEstimate, minimum: 0, maximum: end)
        hitRate05 = Self.detection(reference, estimate, window: 0.5, trim: false)
        hitRate05Trimmed = Self.detection(reference, estimate, window: 0.5, trim: true)
        hitRate3 = Self.detection(reference, estimate, window: 3, trim: false)
        hitRate3Trimmed = Self.detection(reference, estimate, window: 3, trim: true)

        let referenceFrames = Self.frameLabels(reference, end: end)
        let estimateFrames = Self.frameLabels(estimate, end: end)
        let table = Contingency(referenceFrames, estimateFrames)
        func pairs(_ count: Int) -> Double { Double(count) * Double(count - 1) / 2 }
        let referencePairs = table.rowSums.reduce(0.0) { $0 + pairs($1) }
        let estimatePairs = table.columnSums.reduce(0.0) { $0 + pairs($1) }
        let bothPairs = table.cells.reduce(0.0) { $0 + pairs($1.count) }
        pairwise = PrecisionRecall(precision: estimatePairs > 0 ? bothPairs / estimatePairs : 0,
                                   recall: referencePairs > 0 ? bothPairs / referencePairs : 0)

        // Conditional entropies in bits.
        let total = Double(table.total)
        var referenceGivenEstimate = 0.0
        var estimateGivenReference = 0.0
        for cell in table.cells where cell.count > 0 {
            let n = Double(cell.count)
            let a = Double(table.rowSums[cell.row])
            let b = Double(table.columnSums[cell.column])
            referenceGivenEstimate -= (b / total) * (n / b) * log(n / b)
            estimateGivenReference -= (a / total) * (n / a) * log(n / a)
        }
        referenceGivenEstimate /= log(2)
        estimateGivenReference /= log(2)
        let referenceBits = log2(Double(table.rowSums.count))
        let estimateBits = log2(Double(table.columnSums.count))
        underSegmentation = referenceBits > 0 ? 1 - referenceGivenEstimate / referenceBits : 0
        overSegmentation = estimateBits > 0 ? 1 - estimateGivenReference / estimateBits : 0
        entropyF = PrecisionRecall(precision: overSegmentation, recall: underSegmentation).fMeasure
    }

    /// mir_eval `util.adjust_intervals`: clip to [minimum, maximum], padding with
    /// `__T_MIN` / `__T_MAX` intervals where the segmentation falls short.
    static func adjust(_ intervals: [Section], minimum: Double, maximum: Double?) -> [Section] {
        var result = intervals
        if let first = result.firstIndex(where: { $0.end >= minimum }) { result.removeFirst(first) }
        result = result.map { Section(start: max(minimum, $0.start), end: max(minimum, $0.end), label: $0.label, confidence: 1) }
        if let smallest = result.flatMap({ [$0.start, $0.end] }).min(), smallest > minimum {
            result.insert(Section(start: minimum, end: smallest, label: "__T_MIN", confidence: 1), at: 0)
        }
        guard let maximum else { return result }
        if let cut = result.firstIndex(where: { $0.start > maximum }) { result.removeSubrange(cut...) }
        result = result.map { Section(start: min(maximum, $0.start), end: min(maximum, $0.end), label: $0.label, confidence: 1) }
        if let largest = result.flatMap({ [$0.start, $0.end] }).max(), largest < maximum {
            result.append(Section(start: largest, end: maximum, label: "__T_MAX", confidence: 1))
        }
        return result
    }

    /// Boundary detection: a maximum matching of boundaries within the window.
    static func detection(_ reference: [Section], _ estimate: [Section], window: Double, trim: Bool)
        -> PrecisionRecall
    {
        func boundaries(_ intervals: [Section]) -> [Double] {
            var values = Array(Set(intervals.flatMap { [round5($0.start), round5($0.end)] })).sorted()
            if trim { values = values.count > 2 ? Array(values.dropFirst().dropLast()) : [] }
            return values
        }
        let references = boundaries(reference)
        let estimates = boundaries(estimate)
        guard !references.isEmpty, !estimates.isEmpty else { return PrecisionRecall(precision: 0, recall: 0) }
        var matches = 0
        var i = 0
        var j = 0
        while i < references.count && j < estimates.count {
            let r = references[i], e = estimates[j]
            if e - window <= r && r <= e + window {
                matches += 1
                i += 1
                j += 1
            } else if r < e {
                i += 1
            } else {
                j += 1
            }
        }
        return PrecisionRecall(precision: Double(matches) / Double(estimates.count),
                               recall: Double(matches) / Double(references.count))
    }

    static func round5(_ value: Double) -> Double { (value * 1e5).rounded(.toNearestOrEven) / 1e5 }

    /// Label codes per 0.1 s frame (mir_eval `intervals_to_samples`); labels compared case-insensitively.
    static func frameLabels(_ intervals: [Section], end: Double) -> [Int] {
        let count = Int((end / frameSeconds).rounded(.down))
        var names: [String: Int] = ["none": 0]
        var labels = [Int](repeating: 0, count: max(count, 0))
        for interval in intervals {
            let key = interval.label.lowercased()
            let code = names[key] ?? names.count
            names[key] = code
            for index in 0..<labels.count {
                let time = Double(Float(index) * Float(frameSeconds))
                if interval.start <= time && time <= interval.end { labels[index] = code }
            }
        }
        return labels
    }
}
