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

    /// Scores `rawEstimate` against `rawReference`.
    ///
    /// The pairwise and entropy scores count 10 Hz frames as mir_eval does, but
    /// from interval overlaps: each interval becomes the range of frame indices
    /// whose sample time it covers, and the contingency table is built from
    /// those ranges. The counts are the ones frame sampling gives (the same
    /// sample times, the same "later interval wins" rule), so the scores are
    /// equal, while time and memory grow with the number of sections, not with
    /// the time span.
    ///
    /// - Parameters:
    ///   - rawReference: the reference intervals; intervals with a non-finite start or end are left out.
    ///   - rawEstimate: the estimated intervals; likewise.
    /// - Complexity: O(n log n) for n intervals when they are sorted (as ``Section`` lists are);
    ///   at worst O(n²) for intervals in arbitrary order.
    public init(reference rawReference: [Section], estimate rawEstimate: [Section]) {
        let reference = Self.adjust(rawReference.filter(Self.isFinite), minimum: 0, maximum: nil)
        let end = reference.map(\.end).max() ?? 0
        let estimate = Self.adjust(rawEstimate.filter(Self.isFinite), minimum: 0, maximum: end)
        hitRate05 = Self.detection(reference, estimate, window: 0.5, trim: false)
        hitRate05Trimmed = Self.detection(reference, estimate, window: 0.5, trim: true)
        hitRate3 = Self.detection(reference, estimate, window: 3, trim: false)
        hitRate3Trimmed = Self.detection(reference, estimate, window: 3, trim: true)

        let frameCount = Self.frameCount(end: end)
        let table = Contingency(pairCounts: Self.overlaps(Self.frameRuns(reference, frameCount: frameCount),
                                                          Self.frameRuns(estimate, frameCount: frameCount)))
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

    static func isFinite(_ section: Section) -> Bool { section.start.isFinite && section.end.isFinite }

    /// The number of 0.1 s frames up to `end` (mir_eval `intervals_to_samples`:
    /// sample times 0, 0.1, … below `end`), capped at 2⁵³ so no input can trap.
    static func frameCount(end: Double) -> Int {
        let count = (end / frameSeconds).rounded(.down)
        guard count > 0 else { return 0 }   // also NaN
        return Int(min(count, 9_007_199_254_740_992))
    }

    /// The sample time of frame `index`, computed as mir_eval's float32 grid does.
    static func frameTime(_ index: Int) -> Double { Double(Float(index) * Float(frameSeconds)) }

    /// The first frame index in `0...count` whose time satisfies `isAfter` (a monotone predicate).
    static func firstFrame(in count: Int, where isAfter: (Double) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            if isAfter(frameTime(middle)) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Runs of frames with one label code: `starts[i]..<starts[i + 1]` (the last
    /// up to the frame count) carry `codes[i]`. Together they cover every frame.
    struct FrameRuns: Equatable {
        var starts: [Int]
        var codes: [Int]
        var frameCount: Int
    }

    /// Label codes of the 0.1 s frames as runs (mir_eval `intervals_to_samples`):
    /// a frame takes the code of the last interval that covers its sample time
    /// (both ends included), 0 ("none") when none does; labels are compared
    /// case-insensitively, and codes are numbered in order of first appearance.
    ///
    /// - Complexity: O(n log n) for n sorted intervals; the frame count only enters through binary searches.
    static func frameRuns(_ intervals: [Section], frameCount: Int) -> FrameRuns {
        var names: [String: Int] = ["none": 0]
        var runs = FrameRuns(starts: frameCount > 0 ? [0] : [], codes: frameCount > 0 ? [0] : [], frameCount: frameCount)
        for interval in intervals {
            let key = interval.label.lowercased()
            let code = names[key] ?? names.count
            names[key] = code
            let lower = firstFrame(in: frameCount) { $0 >= interval.start }
            let upper = firstFrame(in: frameCount) { $0 > interval.end }
            if lower < upper { runs.paint(lower..<upper, code: code) }
        }
        return runs
    }

    /// How many frames carry each (reference code, estimate code) pair.
    ///
    /// - Complexity: O(r + e) for r and e runs.
    static func overlaps(_ reference: FrameRuns, _ estimate: FrameRuns) -> [(reference: Int, predicted: Int, count: Int)] {
        var result: [(reference: Int, predicted: Int, count: Int)] = []
        var i = 0
        var j = 0
        var frame = 0
        let count = min(reference.frameCount, estimate.frameCount)
        while frame < count {
            let referenceEnd = reference.end(of: i)
            let estimateEnd = estimate.end(of: j)
            let next = min(referenceEnd, estimateEnd, count)
            result.append((reference.codes[i], estimate.codes[j], next - frame))
            frame = next
            if referenceEnd == next { i += 1 }
            if estimateEnd == next { j += 1 }
        }
        return result
    }
}

extension SegmentAgreement.FrameRuns {
    /// The end (exclusive) of run `index`.
    func end(of index: Int) -> Int { index + 1 < starts.count ? starts[index + 1] : frameCount }

    /// Gives the frames in `range` the code `code`, replacing what they had.
    mutating func paint(_ range: Range<Int>, code: Int) {
        split(at: range.lowerBound)
        split(at: range.upperBound)
        let first = firstRun(startingAtOrAfter: range.lowerBound)
        let last = firstRun(startingAtOrAfter: range.upperBound)
        starts.replaceSubrange(first..<last, with: [range.lowerBound])
        codes.replaceSubrange(first..<last, with: [code])
    }

    /// Makes a run start at `frame` (when `frame` is inside the frames), splitting the run that holds it.
    private mutating func split(at frame: Int) {
        guard frame > 0, frame < frameCount else { return }
        let index = firstRun(startingAtOrAfter: frame)
        if index < starts.count && starts[index] == frame { return }
        starts.insert(frame, at: index)
        codes.insert(codes[index - 1], at: index)
    }

    /// The index of the first run whose start is ≥ `frame` (`starts.count` when none is).
    private func firstRun(startingAtOrAfter frame: Int) -> Int {
        var low = 0
        var high = starts.count
        while low < high {
            let middle = low + (high - low) / 2
            if starts[middle] >= frame { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
