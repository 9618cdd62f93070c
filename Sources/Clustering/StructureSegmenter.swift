import DSP
import Foundation

/// Splits a track into sections from its frame features and labels the repeats.
///
/// The structure method:
/// 1. frames are averaged into blocks of ``blockSeconds`` and z-scored per dimension;
/// 2. a self-similarity (cosine) band around the diagonal is computed, never the
///    whole n×n matrix, so a 2-hour mix costs no more memory than its features;
/// 3. Foote's checkerboard kernel with a Gaussian taper slides along the
///    diagonal at two scales (``kernelSeconds`` and
///    ``localisationKernelSeconds`` per side), and the two curves are averaged:
///    novelty peaks where the music before and after a point differ and each
///    side is self-similar; the wide scale finds changes reliably, the narrow
///    one keeps them in place;
/// 4. boundaries are chosen among the novelty peaks at least
///    ``minimumSectionSeconds`` apart: the `sectionCount - 1` highest when the
///    count is given, else by ``cutSelection`` (by default the subset with the
///    lowest penalised kernel cost, so the number of sections comes from the
///    music rather than from one threshold); each is then moved to the frame
///    where a short kernel's novelty peaks, so cuts land within a frame or two;
/// 5. the sections are labelled in a stage of their own, ``labelling``
///    (``SectionLabeller``): the sections are compared with each other and
///    grouped, and sections share a letter only when they are measurably alike.
public struct StructureSegmenter: Sendable {
    public var sectionCount: Int?
    public var minimumSectionSeconds = 6.0
    public var blockSeconds = 0.25
    public var kernelSeconds = 12.0
    /// Half-width of the narrow kernel, averaged with the wide one.
    public var localisationKernelSeconds = 6.0
    /// How many cuts, when ``sectionCount`` is not given.
    public var cutSelection = CutSelection.default
    /// Below this novelty (a mean kernel-weighted cosine), nothing in the track changes enough to cut.
    public var minimumNovelty = 0.1
    /// How the sections are compared and grouped into labels once the cuts are made.
    public var labelling = SectionLabeller.default
    /// The similarity at or above which sections share a label (``SectionLabeller/threshold`` of ``labelling``).
    public var labelSimilarity: Double {
        get { labelling.threshold }
        set { labelling.threshold = newValue }
    }
    /// Weight of each feature column after z-scoring; nil weighs all alike.
    public var columnWeights: [Double]?

    public init(sectionCount: Int? = nil, minimumSectionSeconds: Double = 6.0) {
        self.sectionCount = sectionCount
        self.minimumSectionSeconds = minimumSectionSeconds
    }

    /// Segments a track.
    ///
    /// - Parameters:
    ///   - frames: one row per frame; columns are the features to compare (already weighted).
    ///   - frameRate: frames per second.
    ///   - durationSeconds: the track's length.
    public func segment(frames: FeatureMatrix, frameRate: Double, durationSeconds: Double) -> Segmentation {
        let blockFrames = max(1, Int((blockSeconds * frameRate).rounded()))
        let blockDuration = Double(blockFrames) / frameRate
        let blocks = Self.normalisedBlocks(frames, blockFrames: blockFrames, weights: columnWeights)
        let n = blocks.rowCount
        // Clamped to the track, so an absurd minimum cannot overflow Int (it gives one section below).
        let minimumBlocks = max(1, Int((min(max(minimumSectionSeconds, 0), durationSeconds) / blockDuration).rounded()))
        var notes: [String] = []

        let oneSection = { (note: String) -> Segmentation in
            Segmentation(sections: [Section(start: 0, end: durationSeconds, label: "A", confidence: 1)],
                         noveltyTimes: (0..<n).map { (Double($0) + 0.5) * blockDuration },
                         novelty: [Double](repeating: 0, count: n), notes: [note])
        }
        if let count = sectionCount, count <= 1 { return oneSection("one section asked for: one section") }
        guard durationSeconds >= 2 * minimumSectionSeconds, n >= 4 else {
            return oneSection(String(format: "%.1f s is shorter than two sections of the minimum section length (%.1f s): one section",
                                     durationSeconds, minimumSectionSeconds))
        }

        // Two scales: the wide kernel finds changes reliably, the narrower one places them.
        let wide = Self.checkerboardNovelty(blocks, halfWidth: max(2, Int((kernelSeconds / blockDuration).rounded())))
        let narrow = Self.checkerboardNovelty(
            blocks, halfWidth: max(2, Int((localisationKernelSeconds / blockDuration).rounded())))
        let novelty = zip(wide, narrow).map { ($0 + $1) / 2 }
        let peak = novelty.max() ?? 0
        guard peak >= minimumNovelty else {
            return oneSection("no change found in the music (silence or one steady sound): one section")
        }
        let normalised = novelty.map { $0 / peak }

        // Candidate peaks: local maxima, highest first, at least a minimum section
        // from both ends.
        var peaks: [Int] = []
        for index in 1..<(n - 1) where normalised[index] >= normalised[index - 1] && normalised[index] > normalised[index + 1] {
            if index >= minimumBlocks && n - index >= minimumBlocks { peaks.append(index) }
        }
        peaks.sort { (normalised[$0], -$0) > (normalised[$1], -$1) }
        var chosen: [Int] = []
        let wanted = sectionCount.map { $0 - 1 }
        if let wanted {
            for candidate in peaks where chosen.count < wanted {
                guard chosen.allSatisfy({ abs($0 - candidate) >= minimumBlocks }) else { continue }
                chosen.append(candidate)
            }
        } else {
            chosen = Self.selectCuts(peaks, rule: cutSelection, novelty: novelty, normalised: normalised,
                                     blocks: blocks, minimumBlocks: minimumBlocks, blockDuration: blockDuration)
        }
        if chosen.isEmpty && wanted == nil {
            notes.append("no clear change between sections found: one section")
        }
        if let wanted, chosen.count < wanted {
            notes.append("asked for \(wanted + 1) sections; found room for \(chosen.count + 1) "
                + "at the minimum section length (\(minimumSectionSeconds) s)")
        }
        chosen.sort()

        // Refine each cut to the frame: a short checkerboard on frames around the
        // block peak. Cuts are at least a minimum section apart and each moves
        // less than half of that, so two cuts can neither meet nor cross.
        let searchRadius = min(blockFrames * 2, max(0, (minimumBlocks * blockFrames - 1) / 2))
        var cuts: [Double] = []
        var confidences = [1.0]
        for block in chosen {
            let centreFrame = block * blockFrames + blockFrames / 2
            let frame = Self.refine(frames, around: centreFrame, searchRadius: searchRadius,
                                    halfWidth: max(4, Int((1.0 * frameRate).rounded())))
            let cut = Double(frame) / frameRate
            guard cut > (cuts.last ?? 0), cut < durationSeconds else { continue }     // never an empty section
            cuts.append(cut)
            confidences.append(normalised[block])
        }
        let edges = [0.0] + cuts + [durationSeconds]

        // Label the sections in their own stage.
        let ranges = Self.blockRanges(edges: edges, blockCount: n, blockDuration: blockDuration)
        let labels = labelling.labels(blocks: blocks, ranges: ranges)
        let sections = (0..<ranges.count).map { index in
            Section(start: edges[index], end: edges[index + 1], label: labels[index], confidence: confidences[index])
        }
        return Segmentation(sections: sections, noveltyTimes: (0..<n).map { (Double($0) + 0.5) * blockDuration },
                            novelty: normalised, notes: notes)
    }

    /// The rows of the blocks each section covers, from the section edges in seconds; never empty.
    static func blockRanges(edges: [Double], blockCount n: Int, blockDuration: Double) -> [Range<Int>] {
        (0..<max(0, edges.count - 1)).map { index -> Range<Int> in
            let first = max(0, min(n - 1, Int(edges[index] / blockDuration)))
            let last = max(first + 1, min(n, Int((edges[index + 1] / blockDuration).rounded())))
            return first..<last
        }
    }

    /// The `s × s` similarity matrix (row-major) that the label stage with `comparison` sees for `sections`
    /// of a track: for measuring labellers on given cuts (e.g. the true ones) without cutting again.
    ///
    /// - Parameters:
    ///   - frames: as for ``segment(frames:frameRate:durationSeconds:)``.
    ///   - sections: the sections, in time order, tiling the track.
    public func sectionSimilarities(frames: FeatureMatrix, frameRate: Double, sections: [Section],
                                    comparison: SectionComparison) -> [Double] {
        let blockFrames = max(1, Int((blockSeconds * frameRate).rounded()))
        let blocks = Self.normalisedBlocks(frames, blockFrames: blockFrames, weights: columnWeights)
        let edges = (sections.first.map { [$0.start] } ?? []) + sections.map(\.end)
        let ranges = Self.blockRanges(edges: edges, blockCount: blocks.rowCount,
                                      blockDuration: Double(blockFrames) / frameRate)
        var labeller = labelling
        labeller.comparison = comparison
        return labeller.similarities(blocks: blocks, ranges: ranges)
    }

    /// Block means of the frames, z-scored per column.
    static func normalisedBlocks(_ frames: FeatureMatrix, blockFrames: Int, weights: [Double]? = nil) -> FeatureMatrix {
        let d = frames.columnCount
        let n = max(1, (frames.rowCount + blockFrames - 1) / blockFrames)
        var values = [Float](repeating: 0, count: n * d)
        for block in 0..<n {
            let first = block * blockFrames
            let last = min(frames.rowCount, first + blockFrames)
            guard last > first else { continue }
            for row in first..<last {
                for column in 0..<d { values[block * d + column] += frames[row, column] }
            }
            for column in 0..<d { values[block * d + column] /= Float(last - first) }
        }
        let matrix = FeatureMatrix(rowCount: n, columnCount: d, values: values)
        return Standardizer(fitting: matrix, weights: weights).transform(matrix)
    }

    /// Cosine similarity of two rows.
    @inline(__always)
    static func cosine(_ data: UnsafePointer<Float>, _ a: Int, _ b: Int, dimension: Int, norms: [Float]) -> Float {
        let product = VectorKernels.dot(data + a * dimension, data + b * dimension, count: dimension)
        let scale = norms[a] * norms[b]
        return scale > 0 ? product / scale : 0
    }

    /// Foote novelty with a Gaussian-tapered checkerboard kernel of `halfWidth`
    /// rows per side, from a band of the self-similarity matrix.
    ///
    /// - Complexity: O(n · halfWidth · d) for the band, O(n · halfWidth²) for the kernel.
    static func checkerboardNovelty(_ data: FeatureMatrix, halfWidth: Int) -> [Double] {
        let n = data.rowCount
        let d = data.columnCount
        let width = 2 * halfWidth
        let norms = (0..<n).map { row in data.row(row).reduce(Float(0)) { $0 + $1 * $1 }.squareRoot() }
        // band[i * (width + 1) + k] = S(i, i + k) for k in 0...width.
        var band = [Float](repeating: 0, count: n * (width + 1))
        data.values.withUnsafeBufferPointer { values in
            for row in 0..<n {
                for offset in 0...width where row + offset < n {
                    band[row * (width + 1) + offset] = cosine(values.baseAddress!, row, row + offset, dimension: d, norms: norms)
                }
            }
        }
        func similarity(_ a: Int, _ b: Int) -> Float {
            let (low, high) = a <= b ? (a, b) : (b, a)
            return band[low * (width + 1) + (high - low)]
        }
        let sigma = Double(halfWidth) / 2
        let taper = (0..<width).map { index -> Double in
            let offset = Double(index - halfWidth) + 0.5
            return exp(-0.5 * (offset / sigma) * (offset / sigma))
        }
        var novelty = [Double](repeating: 0, count: n)
        for centre in 0..<n {
            var total = 0.0
            var weight = 0.0
            for i in 0..<width {
                let a = centre - halfWidth + i
                guard a >= 0 && a < n else { continue }
                for j in 0..<width {
                    let b = centre - halfWidth + j
                    guard b >= 0 && b < n else { continue }
                    let sameSide = (i < halfWidth) == (j < halfWidth)
                    let kernel = taper[i] * taper[j] * (sameSide ? 1 : -1)
                    total += kernel * Double(similarity(a, b))
                    weight += abs(kernel)
                }
            }
            novelty[centre] = weight > 0 ? max(0, total / weight) : 0
        }
        return novelty
    }

    /// The frame near `centre` where a short checkerboard kernel on frames peaks.
    static func refine(_ frames: FeatureMatrix, around centre: Int, searchRadius: Int, halfWidth: Int) -> Int {
        let first = max(0, centre - searchRadius - halfWidth)
        let last = min(frames.rowCount, centre + searchRadius + halfWidth)
        guard last - first > 2 * halfWidth else { return centre }
        let window = FeatureMatrix(rowCount: last - first, columnCount: frames.columnCount,
                                   values: Array(frames.values[(first * frames.columnCount)..<(last * frames.columnCount)]))
        let local = Standardizer(fitting: window).transform(window)
        let novelty = checkerboardNovelty(local, halfWidth: halfWidth)
        let searchFirst = max(0, centre - searchRadius - first)
        let searchLast = min(novelty.count - 1, centre + searchRadius - first)
        guard searchFirst <= searchLast else { return centre }
        let best = (searchFirst...searchLast).max { novelty[$0] < novelty[$1] } ?? (centre - first)
        return first + best
    }

    /// Renames cluster numbers to A, B, … in order of first appearance.
    public static func namesByFirstAppearance(_ clusters: [Int]) -> [String] {
        var names: [Int: String] = [:]
        return clusters.map { cluster in
            if let name = names[cluster] { return name }
            let name = sectionLabel(names.count)
            names[cluster] = name
            return name
        }
    }

    /// A, B, …, Z, AA, AB, …
    static func sectionLabel(_ index: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return index < 26 ? String(letters[index]) : sectionLabel(index / 26 - 1) + String(letters[index % 26])
    }
}
