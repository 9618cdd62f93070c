import Foundation

/// A self-organizing map (Kohonen), in pure Swift.
///
/// Batch training starts from the plane of the data's two largest principal
/// components (PCA initialisation) and shrinks a Gaussian neighbourhood from
/// `max(width, height) / 2` to ``finalRadius`` over ``epochs``. Online
/// training follows MiniSom's `train_random` with linear decay. Quality
/// measures and the U-matrix follow MiniSom 2.3 (see the fixtures in
/// `Tests/ClusteringTests/Fixtures`).
///
/// The parts live in extensions: ``train(_:jobs:)`` in `+Training`, the
/// best-matching-unit search in `+BestMatchingUnit`, quality measures and the
/// U-matrix in `+Evaluation`, PCA initialisation in `+PCAInitialisation`, grid
/// geometry and ``automaticGrid(for:)`` in `+Grid`.
public struct SelfOrganizingMap: Sendable {
    /// Grid width: columns (x), ≥ 1.
    public var width: Int
    /// Grid height: rows (y), ≥ 1; `width × height` ≤ ``maximumUnitCount``.
    public var height: Int
    /// The grid's cell shape. Default rectangular.
    public var topology: SOMTopology = .rectangular
    /// Batch or online training. Default batch.
    public var training: SOMTraining = .batch
    /// Batch epochs, ≥ 1 (0 counts as 1). Default 20.
    public var epochs = 20
    /// The neighbourhood radius (Gaussian σ, in grid units) of the last batch epoch. Default 1.5.
    public var finalRadius = 1.5
    /// Online iterations (items drawn at random), ≥ 1 (0 counts as 1). Default 10 000.
    public var iterations = 10_000
    /// Seeds the online training's item draws and the batch training sample
    /// (``trainingSampleSize``); batch training on all rows is deterministic without it.
    public var seed: UInt64 = 0
    /// Batch training on more rows than this trains (PCA start included) on a seeded sample of
    /// this many rows, then places every row on its best unit in one pass; nil (the default) trains
    /// on all rows. Online training always draws from all rows.
    ///
    /// Each batch epoch costs O(rows × units × d), so a library of 100,000 songs would spend
    /// most of its map in the epochs; a sample many times larger than the grid gives nearly the
    /// same codebook (the quality measures are taken on all rows).
    public var trainingSampleSize: Int?
    /// Asked every epoch (batch) or every 256 items (online); when it returns true,
    /// ``train(_:jobs:)`` throws ``ClusteringError/cancelled``.
    public var shouldStop: (@Sendable () -> Bool)?

    /// The most units a map may have (a 500×500 grid).
    public static let maximumUnitCount = 250_000

    /// A map of `width × height` units; the other settings take their defaults.
    ///
    /// - Parameters:
    ///   - width: columns, ≥ 1 (checked by ``train(_:jobs:)``).
    ///   - height: rows, ≥ 1 (checked by ``train(_:jobs:)``).
    ///   - topology: cell shape, default rectangular.
    ///   - training: batch (default) or online.
    ///   - seed: seeds online training, default 0.
    public init(width: Int, height: Int, topology: SOMTopology = .rectangular, training: SOMTraining = .batch,
                seed: UInt64 = 0) {
        self.width = width
        self.height = height
        self.topology = topology
        self.training = training
        self.seed = seed
    }
}
