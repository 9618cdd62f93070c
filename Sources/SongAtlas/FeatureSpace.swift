import Clustering
import Features
import Foundation
import Library

/// The space songs are compared in, shared by every job that compares them
/// (playlists, the song map, and later similar songs and paths).
///
/// Two representations of a song can be compared, alone or together
/// (``SongFeatures``):
/// - **the hand-crafted summary** (``SummaryLayout/current``), put on
///   comparable scales: tempo on a log scale (so an octave error is one
///   constant step, not a doubling), then each dimension z-scored over the
///   library (``Standardizer``) and weighted per ``FeatureGroup`` so that a
///   group of many dimensions counts no more than a group of few
///   (``FeatureWeights``);
/// - **the learned embedding** of one musicnn model, used as the network gives
///   it: z-scoring it cost 0.07 adjusted Rand index on held-out real music
///   (`../shared/design/musicnn.md`).
///
/// With both, each block is scaled so that its mean squared distance from the
/// library's mean is 1, so the two count equally. Distances between rows of
/// ``PlacedLibrary/points`` are the distances every job uses.
public struct FeatureSpace: Sendable, Equatable {
    /// How much each hand-crafted feature group counts; see ``FeatureWeights``.
    public var weights: FeatureWeights
    /// The summary layout whose dimensions are compared.
    public var layout: SummaryLayout
    /// Which representation songs are compared by.
    public var features: SongFeatures
    /// The embedding compared when ``features`` uses one: its model and patch budget.
    public var embedding: EmbeddingKey?

    /// A model and the patch budget its embeddings were made with: which of a track's embeddings to use.
    public struct EmbeddingKey: Sendable, Equatable, Hashable {
        public var model: EmbeddingModel
        public var patchBudget: PatchBudget

        public init(model: EmbeddingModel, patchBudget: PatchBudget = .default) {
            self.model = model
            self.patchBudget = patchBudget
        }
    }

    /// A space.
    ///
    /// - Parameters:
    ///   - weights: group weights for the hand-crafted summary; default ``FeatureWeights/init()``.
    ///   - layout: the summary layout; default ``SummaryLayout/current``.
    ///   - features: the representation; default ``SongFeatures/handcrafted``.
    ///   - embedding: the embedding to use when `features` asks for one; default none.
    public init(weights: FeatureWeights = FeatureWeights(), layout: SummaryLayout = .current,
                features: SongFeatures = .handcrafted, embedding: EmbeddingKey? = nil) {
        self.weights = weights
        self.layout = layout
        self.features = features
        self.embedding = embedding
    }

    /// Places a library in the space.
    ///
    /// When ``features`` asks for the embedding but ``embedding`` is nil or a
    /// track lacks it, the hand-crafted summary is used instead and
    /// ``PlacedLibrary/notes`` says so (never a failed job).
    ///
    /// - Parameter tracks: analysed tracks whose summaries follow ``layout``.
    /// - Returns: the measured vectors, their z-scores, and the points compared.
    /// - Complexity: O(n × d) for n tracks of d dimensions.
    public func place(_ tracks: [TrackAnalysis]) -> PlacedLibrary {
        let tempoColumn = layout.index(of: .tempoBPM)
        var measured = FeatureMatrix(rows: tracks.map { $0.summary.values })
        for row in 0..<measured.rowCount {
            measured[row, tempoColumn] = log2(max(measured[row, tempoColumn], 30))
        }
        let zScores = Standardizer(fitting: measured).transform(measured)
        let handcrafted = Standardizer(fitting: measured, weights: weights.perDimension(layout: layout)).transform(measured)

        var used = SongFeatures.handcrafted
        var notes: [String] = []
        var parts: [[SongEmbedding]] = []
        if features != .handcrafted {
            if let embedding {
                parts = tracks.compactMap { $0.embeddings(embedding.model, patchBudget: embedding.patchBudget) }
                if parts.count == tracks.count {
                    used = features
                } else {
                    notes.append("\(tracks.count - parts.count) of \(tracks.count) songs have no "
                        + "\(embedding.model.identifier) embedding: songs are compared by the hand-crafted features")
                    parts = []
                }
            } else {
                notes.append("no embedding model: songs are compared by the hand-crafted features")
            }
        }

        // The first part's embeddings name playlists by their tags.
        let embeddings = parts.map { $0[0] }
        let points: FeatureMatrix
        switch used {
        case .handcrafted:
            points = handcrafted
        case .embedding:
            points = Self.learnedPoints(parts)
        case .both:
            let learned = Self.unitSpread(Self.learnedPoints(parts))
            let crafted = Self.unitSpread(handcrafted)
            points = FeatureMatrix(rows: (0..<tracks.count).map { Array(crafted.row($0)) + Array(learned.row($0)) })
        }
        return PlacedLibrary(space: self, features: used, measured: measured, zScores: zScores, points: points,
                             embeddings: embeddings, notes: notes)
    }

    /// The learned embedding's points: one network's values as the network gives
    /// them, or, for a fused model, every part scaled to unit spread
    /// (``unitSpread(_:)``) and concatenated, so each network counts equally.
    ///
    /// - Parameter parts: per track, its embedding of every part, in the model's order.
    static func learnedPoints(_ parts: [[SongEmbedding]]) -> FeatureMatrix {
        guard let partCount = parts.first?.count, partCount > 1 else {
            return FeatureMatrix(rows: parts.map { $0.first?.values ?? [] })
        }
        let scaled = (0..<partCount).map { part in unitSpread(FeatureMatrix(rows: parts.map { $0[part].values })) }
        return FeatureMatrix(rows: parts.indices.map { row in scaled.flatMap { Array($0.row(row)) } })
    }

    /// `matrix` scaled so that its rows' mean squared distance from their mean is 1 (unchanged when it is 0).
    static func unitSpread(_ matrix: FeatureMatrix) -> FeatureMatrix {
        let rows = matrix.rowCount
        guard rows > 0 else { return matrix }
        var means = [Double](repeating: 0, count: matrix.columnCount)
        for row in 0..<rows { for column in 0..<matrix.columnCount { means[column] += Double(matrix[row, column]) } }
        means = means.map { $0 / Double(rows) }
        var spread = 0.0
        for row in 0..<rows {
            for column in 0..<matrix.columnCount {
                let difference = Double(matrix[row, column]) - means[column]
                spread += difference * difference
            }
        }
        spread /= Double(rows)
        guard spread > 0, spread.isFinite else { return matrix }
        let scale = Float(1 / spread.squareRoot())
        var scaled = matrix
        for row in 0..<rows { for column in 0..<matrix.columnCount { scaled[row, column] *= scale } }
        return scaled
    }
}

/// Which representation of a song the ``FeatureSpace`` compares.
public enum SongFeatures: String, Sendable, Equatable, CaseIterable, Codable {
    /// The learned embedding (musicnn), as the network gives it.
    case embedding
    /// The hand-crafted summary, z-scored and weighted by group.
    case handcrafted
    /// Both, each scaled to count equally.
    case both
}

/// A library placed in a ``FeatureSpace``: one row per track, in input order.
public struct PlacedLibrary: Sendable {
    /// The space the library was placed in.
    public let space: FeatureSpace
    /// The representation actually compared (the hand-crafted summary when the embedding was missing).
    public let features: SongFeatures
    /// The summary vectors as measured, tempo as log2(BPM).
    public let measured: FeatureMatrix
    /// Each summary dimension z-scored over the library, unweighted (for describing clusters).
    public let zScores: FeatureMatrix
    /// The points whose distances every job compares.
    public let points: FeatureMatrix
    /// Each track's embedding, in input order, when ``features`` uses it; else empty.
    public let embeddings: [SongEmbedding]
    /// What the user should know about the placement (a fallback to the hand-crafted features).
    public let notes: [String]

    /// How many tracks there are.
    public var count: Int { points.rowCount }
}
