import AudioDecoding
import Clustering
import Features
import Foundation
import Library

/// How to segment a track.
public enum SegmentationMethod: String, CaseIterable, Sendable, Codable {
    /// Self-similarity, checkerboard novelty and section clustering (the default).
    case structure
    /// The seed method: k-means over one-second blocks.
    case kmeans
}

/// Segments one audio file into labelled sections.
public struct TrackSegmenter: Sendable {
    public var method = SegmentationMethod.structure
    /// Number of sections (structure) or of distinct labels (kmeans); nil chooses.
    public var sectionCount: Int?
    public var minimumSectionSeconds = 4.0
    public var seed: UInt64 = 0
    /// How the structure method chooses the number of cuts when ``sectionCount`` is nil.
    public var cutSelection = CutSelection.default
    /// How the structure method compares and groups sections into labels.
    public var labelling = SectionLabeller.default
    /// The length of the highlight to choose, in seconds; nil chooses none.
    public var highlightSeconds: Double?

    public init() {}

    /// The frame columns compared, as row indices, and their weights: timbre
    /// (MFCC 2–20; MFCC 1 follows loudness), harmony (chroma) and texture
    /// (contrast), the groups weighing 1, 1 and 0.7 however many columns each has.
    /// Selected once, by kind, from ``FrameFeatureNames/columns(of:)``.
    static let columns: [(index: Int, weight: Double)] = {
        let mfcc = FrameFeatureNames.columns(of: .mfcc).dropFirst()
        let chroma = FrameFeatureNames.columns(of: .chroma)
        let contrast = FrameFeatureNames.columns(of: .contrast)
        return mfcc.map { ($0, 1 / Double(mfcc.count).squareRoot()) }
            + chroma.map { ($0, 1 / Double(chroma.count).squareRoot()) }
            + contrast.map { ($0, 0.7 / Double(contrast.count).squareRoot()) }
    }()

    /// What ``segment(path:excerptSeconds:timeLimitSeconds:)`` found.
    public struct Result: Sendable {
        public var info: AudioFileInfo
        public var segmentation: Segmentation
        /// Seconds analysed (the excerpt's length for an excerpt).
        public var durationSeconds: Double
        /// A coarse self-similarity matrix for pictures.
        public var overviewCells: Int
        public var overview: [Float]
        /// Each frame's RMS level, for the highlight; `frameRate` frames a second.
        public var levels: [Float]
        public var frameRate: Double
        /// The most representative excerpt, when ``highlightSeconds`` asked for one.
        public var highlight: Highlight?
    }

    /// Decodes, extracts the compared frame columns as the audio streams, and segments.
    ///
    /// Only the compared columns and each frame's level are kept (``FeatureExtractor/streamedColumns(path:columns:decodeOptions:)``),
    /// about 40 floats a frame: a 2-hour file needs about 50 MB for them.
    /// - Parameters:
    ///   - timeLimitSeconds: give up after this many seconds of decoding and feature extraction.
    ///   - cancellation: checked between decoding and segmenting; default never.
    /// - Throws: ``DecodingError``, ``ClusteringError/cancelled`` when cancelled.
    public func segment(path: String, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
                        cancellation: Cancellation = .never) throws -> Result {
        try segment(song: ScannedSong(path: path), excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds,
                    cancellation: cancellation)
    }

    /// As ``segment(path:excerptSeconds:timeLimitSeconds:cancellation:)``, for a song: a cue track is
    /// decoded over its own range only (sample-exact), so its section times count from the track's start.
    public func segment(song: ScannedSong, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
                        cancellation: Cancellation = .never) throws -> Result {
        let (info, streamed) = try FeatureExtractor().streamedColumns(
            path: song.path, columns: Self.comparedColumns,
            decodeOptions: song.decodeOptions(DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds)))
        if cancellation.isCancelled { throw ClusteringError.cancelled }
        let configuration = streamed.configuration
        let framed = Double(streamed.frameCount - 1) * Double(configuration.hopLength) / Double(configuration.sampleRate)
        let duration = max(excerptSeconds.map { min($0, info.durationSeconds) } ?? info.durationSeconds, framed)
        let levels = streamed.levels
        let matrix = FeatureMatrix(rowCount: streamed.frameCount, columnCount: streamed.columns.count,
                                   values: streamed.values)
        let overview = SelfSimilarityOverview.compute(frames: matrix, weights: Self.columns.map(\.weight))
        let segmentation = segment(matrix, frameRate: configuration.frameRate, durationSeconds: duration)
        let highlight = highlightSeconds.map {
            Highlight.choose(sections: segmentation.sections, levels: levels, frameRate: configuration.frameRate,
                             durationSeconds: duration, seconds: $0)
        }
        return Result(info: info, segmentation: segmentation, durationSeconds: duration,
                      overviewCells: overview.cells, overview: overview.values,
                      levels: levels, frameRate: configuration.frameRate, highlight: highlight)
    }

    /// The compared columns of `features`, in ``columns`` order.
    static func selectedColumns(_ features: FrameFeatureMatrix) -> FeatureMatrix {
        let indices = Self.columns.map(\.index)
        var values = [Float](repeating: 0, count: features.frameCount * indices.count)
        for frame in 0..<features.frameCount {
            let row = features.row(frame)
            for (column, index) in indices.enumerated() {
                values[frame * indices.count + column] = row[row.startIndex + index]
            }
        }
        return FeatureMatrix(rowCount: features.frameCount, columnCount: indices.count, values: values)
    }

    /// The compared columns, as indices into ``FrameFeatureNames/all`` (for ``FeatureExtractor/streamedColumns(path:columns:decodeOptions:)``).
    public static var comparedColumns: [Int] { columns.map(\.index) }

    /// Segments compared columns already streamed (``comparedColumns``, in that order).
    public func segment(_ streamed: StreamedFrameColumns, durationSeconds: Double) -> Segmentation {
        segment(FeatureMatrix(rowCount: streamed.frameCount, columnCount: streamed.columns.count, values: streamed.values),
                frameRate: streamed.configuration.frameRate, durationSeconds: durationSeconds)
    }

    /// The label stage's similarity matrix of `sections` (row-major, `s × s`) with `comparison`, on compared
    /// columns already streamed: for measuring labellers on fixed cuts.
    public func sectionSimilarities(_ streamed: StreamedFrameColumns, sections: [Section],
                                    comparison: SectionComparison) -> [Double] {
        var segmenter = StructureSegmenter(sectionCount: sectionCount, minimumSectionSeconds: minimumSectionSeconds)
        segmenter.columnWeights = Self.columns.map(\.weight)
        segmenter.labelling = labelling
        return segmenter.sectionSimilarities(
            frames: FeatureMatrix(rowCount: streamed.frameCount, columnCount: streamed.columns.count, values: streamed.values),
            frameRate: streamed.configuration.frameRate, sections: sections, comparison: comparison)
    }

    /// Segments frame features already extracted.
    public func segment(_ features: FrameFeatureMatrix, durationSeconds: Double) -> Segmentation {
        segment(Self.selectedColumns(features), frameRate: features.configuration.frameRate,
                durationSeconds: durationSeconds)
    }

    /// Segments the compared columns (``selectedColumns(_:)``) of a track.
    func segment(_ matrix: FeatureMatrix, frameRate: Double, durationSeconds: Double) -> Segmentation {
        let weights = Self.columns.map(\.weight)
        switch method {
        case .structure:
            var segmenter = StructureSegmenter(sectionCount: sectionCount, minimumSectionSeconds: minimumSectionSeconds)
            segmenter.columnWeights = weights
            segmenter.cutSelection = cutSelection
            segmenter.labelling = labelling
            return segmenter.segment(frames: matrix, frameRate: frameRate, durationSeconds: durationSeconds)
        case .kmeans:
            var segmenter = BlockKMeansSegmenter(labelCount: sectionCount, minimumSectionSeconds: minimumSectionSeconds,
                                                 seed: seed)
            segmenter.columnWeights = weights
            return segmenter.segment(frames: matrix, frameRate: frameRate, durationSeconds: durationSeconds)
        }
    }

    /// The highlight of a file alone (`analyze --highlight`): segments the track and chooses its excerpt.
    ///
    /// - Parameters:
    ///   - seconds: the excerpt's length, > 0.
    ///   - timeLimitSeconds: give up after this many seconds of decoding and feature extraction.
    /// - Throws: ``DecodingError`` for a file that cannot be analysed.
    public static func highlight(path: String, seconds: Double, timeLimitSeconds: Double? = nil) throws -> Highlight {
        var segmenter = TrackSegmenter()
        segmenter.highlightSeconds = seconds
        let result = try segmenter.segment(path: path, timeLimitSeconds: timeLimitSeconds)
        return result.highlight ?? Highlight(start: 0, end: result.durationSeconds, label: "A", occurrences: 1)
    }
}

