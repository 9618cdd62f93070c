import Clustering
import Features
import Foundation
import Library

/// The space songs are compared in, shared by every job that compares them
/// (playlists, the song map, and later similar songs and paths).
///
/// A song's summary vector (``SummaryLayout/current``) is put on comparable
/// scales: tempo on a log scale (so an octave error is one constant step,
/// not a doubling), then each dimension z-scored over the library
/// (``Standardizer``) and weighted per ``FeatureGroup`` so that a group of
/// many dimensions counts no more than a group of few (``FeatureWeights``).
/// Distances between rows of ``PlacedLibrary/points`` are the distances every
/// job uses.
public struct FeatureSpace: Sendable, Equatable {
    /// How much each feature group counts; see ``FeatureWeights``.
    public var weights: FeatureWeights
    /// The summary layout whose dimensions are compared.
    public var layout: SummaryLayout

    /// A space with the given group weights (default: ``FeatureWeights/init()``).
    public init(weights: FeatureWeights = FeatureWeights(), layout: SummaryLayout = .current) {
        self.weights = weights
        self.layout = layout
    }

    /// Places a library in the space.
    ///
    /// - Parameter tracks: analysed tracks whose summaries follow ``layout``.
    /// - Returns: the measured vectors, their z-scores, and the weighted points.
    /// - Complexity: O(n × d) for n tracks of d dimensions.
    public func place(_ tracks: [TrackAnalysis]) -> PlacedLibrary {
        let tempoColumn = layout.index(of: .tempoBPM)
        var measured = FeatureMatrix(rows: tracks.map { $0.summary.values })
        for row in 0..<measured.rowCount {
            measured[row, tempoColumn] = log2(max(measured[row, tempoColumn], 30))
        }
        let zScores = Standardizer(fitting: measured).transform(measured)
        let points = Standardizer(fitting: measured, weights: weights.perDimension(layout: layout)).transform(measured)
        return PlacedLibrary(space: self, measured: measured, zScores: zScores, points: points)
    }
}

/// A library placed in a ``FeatureSpace``: one row per track, in input order.
public struct PlacedLibrary: Sendable {
    /// The space the library was placed in.
    public let space: FeatureSpace
    /// The summary vectors as measured, tempo as log2(BPM).
    public let measured: FeatureMatrix
    /// Each dimension z-scored over the library, unweighted (for describing clusters).
    public let zScores: FeatureMatrix
    /// Z-scored and weighted: the points whose distances every job compares.
    public let points: FeatureMatrix

    /// How many tracks there are.
    public var count: Int { points.rowCount }
}
