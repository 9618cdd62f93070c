import AudioDecoding
import Clustering
import Features
import Foundation

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
    }

    /// Decodes, extracts frame features and segments.
    ///
    /// - Parameter timeLimitSeconds: give up after this many seconds of decoding and feature extraction.
    public func segment(path: String, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil) throws -> Result {
        let (info, features) = try Atlas.frameFeatures(path: path, excerptSeconds: excerptSeconds,
                                                       timeLimitSeconds: timeLimitSeconds)
        let framed = Double(features.frameCount - 1) * Double(features.configuration.hopLength)
            / Double(features.configuration.sampleRate)
        let duration = excerptSeconds.map { min($0, info.durationSeconds) } ?? info.durationSeconds
        let matrix = Self.selectedColumns(features)
        let overview = SelfSimilarityOverview.compute(frames: matrix, weights: Self.columns.map(\.weight))
        return Result(info: info,
                      segmentation: segment(matrix, frameRate: features.configuration.frameRate,
                                            durationSeconds: max(duration, framed)),
                      durationSeconds: max(duration, framed), overviewCells: overview.cells, overview: overview.values)
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
            return segmenter.segment(frames: matrix, frameRate: frameRate, durationSeconds: durationSeconds)
        case .kmeans:
            var segmenter = BlockKMeansSegmenter(labelCount: sectionCount, minimumSectionSeconds: minimumSectionSeconds,
                                                 seed: seed)
            segmenter.columnWeights = weights
            return segmenter.segment(frames: matrix, frameRate: frameRate, durationSeconds: durationSeconds)
        }
    }
}
