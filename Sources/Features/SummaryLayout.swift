/// The layout of the song-summary vector: which dimension sits at which
/// index, its name and its weighting group, tied to a feature version.
///
/// Plays the part of bliss-rs's `AnalysisIndex` and `FeaturesVersion`
/// (`src/song/mod.rs`), but is built from blocks (``SummaryBlock``) rather
/// than one enum case per dimension, so that a block of many dimensions
/// (every MFCC's mean and deviation, or a future learned embedding) is one
/// entry. Code reads dimensions by type (`summary[.tempoBPM]`,
/// `layout.indices(of: .harmony)`), never by name; ``names`` exists for output
/// columns only.
///
/// Any change to the blocks, their order, or how a dimension is computed is a
/// new ``version``: cached and exported vectors of another version are stale.
public struct SummaryLayout: Sendable, Equatable {
    /// The feature version this layout describes.
    public let version: Int
    /// The blocks, in vector order.
    public let blocks: [SummaryBlock]
    /// Where each block starts.
    private let starts: [SummaryBlock: Int]
    /// Total number of dimensions.
    public let dimensionCount: Int

    /// A layout of `blocks`, in order.
    ///
    /// - Parameters:
    ///   - version: the feature version the layout belongs to (≥ 1).
    ///   - blocks: the blocks in vector order; each at most once.
    /// - Precondition: no block repeats (a programmer error otherwise).
    public init(version: Int, blocks: [SummaryBlock]) {
        var starts: [SummaryBlock: Int] = [:]
        var start = 0
        for block in blocks {
            precondition(starts[block] == nil, "block \(block) appears twice in the summary layout")
            starts[block] = start
            start += block.width
        }
        self.version = version
        self.blocks = blocks
        self.starts = starts
        dimensionCount = start
    }

    /// Version 2, the one this build computes: mean and standard deviation
    /// of every frame feature (``FrameFeatureKind`` order), then tempo,
    /// pulse clarity and the near-silent fraction; 95 dimensions.
    public static let current = SummaryLayout(
        version: 2,
        blocks: FrameFeatureKind.allCases.map { .frameStatistics($0) } + [.tempoBPM, .pulseClarity, .silentFraction])

    /// The layout of feature version `version`, or nil for a version this build does not compute.
    public static func forVersion(_ version: Int) -> SummaryLayout? {
        version == current.version ? current : nil
    }

    /// Every dimension, in vector order.
    public var dimensions: [SummaryDimension] { blocks.flatMap(\.dimensions) }

    /// The output column name of every dimension, in vector order
    /// (`mfcc_1_mean, mfcc_1_std, …, tempo_bpm, pulse_clarity, silent_fraction`).
    public var names: [String] { dimensions.map(\.name) }

    /// The weighting group of every dimension, in vector order.
    public var groups: [FeatureGroup] { blocks.flatMap { Array(repeating: $0.group, count: $0.width) } }

    /// Whether the layout has `block`.
    public func contains(_ block: SummaryBlock) -> Bool { starts[block] != nil }

    /// The indices `block` occupies.
    ///
    /// - Precondition: the layout contains `block` (see ``contains(_:)``).
    /// - Complexity: O(1).
    public func range(of block: SummaryBlock) -> Range<Int> {
        guard let start = starts[block] else { preconditionFailure("the summary layout v\(version) has no \(block)") }
        return start..<(start + block.width)
    }

    /// The index of `dimension` in the vector.
    ///
    /// - Precondition: the layout contains `dimension.block`.
    /// - Complexity: O(1).
    public func index(of dimension: SummaryDimension) -> Int {
        range(of: dimension.block).lowerBound + dimension.offsetInBlock
    }

    /// The indices of every dimension in `group`, ascending.
    ///
    /// - Complexity: O(``dimensionCount``).
    public func indices(of group: FeatureGroup) -> [Int] {
        blocks.filter { $0.group == group }.flatMap { range(of: $0) }.sorted()
    }
}
