import Clustering

/// Which algorithm groups the songs into playlists: the names a caller chooses from.
public enum PlaylistAlgorithm: String, Sendable, Codable, CaseIterable {
    /// ``KMeans``: hard, roughly spherical groups of similar size.
    case kmeans
    /// ``GaussianMixture``: soft membership; songs between two styles can bridge them.
    case gmm
    /// ``AgglomerativeClustering``: the collection's family tree, cut into playlists.
    case agglomerative
    /// ``HDBSCAN``: finds the number of playlists itself and leaves misfits unsorted.
    case hdbscan

    /// The parameters this algorithm uses; any other given for it is refused (the rule every
    /// caller applies, the CLI included: a parameter is used by the chosen algorithm or refused).
    public var parameters: Set<ClusteringParameter> {
        switch self {
        case .kmeans: return [.clusterCount, .countStrategy, .restarts, .maximumIterations, .tolerance]
        case .gmm:
            return [.clusterCount, .countStrategy, .restarts, .maximumIterations, .tolerance, .covariance,
                    .principalComponents, .bridgeThreshold]
        case .agglomerative: return [.clusterCount, .countStrategy, .linkage]
        case .hdbscan: return [.minimumClusterSize, .minimumSamples]
        }
    }

    /// The rules that can choose this algorithm's number of clusters (``PlaylistBuilder/countStrategy``),
    /// its own first; none for an algorithm that finds the number itself.
    public var countStrategies: [ClusterCountStrategy] {
        switch self {
        case .kmeans: return [.silhouette]
        case .gmm: return [.bayesianInformationCriterion, .silhouette]
        case .agglomerative: return [.largestMergeGap, .silhouette]
        case .hdbscan: return []
        }
    }

    /// The algorithm with its default parameters.
    public var defaultClustering: PlaylistClustering {
        switch self {
        case .kmeans: return .kmeans()
        case .gmm: return .gmm()
        case .agglomerative: return .agglomerative()
        case .hdbscan: return .hdbscan()
        }
    }
}

/// How ``PlaylistBuilder`` clusters: the algorithm, each case carrying its own parameters.
///
/// This file is the registration of every ``Clusterer`` the playlists can use:
/// its ``PlaylistAlgorithm`` name with the ``ClusteringParameter``s it uses, a
/// case here with its ``summary``, the clusterer it makes
/// (``clusterer(seed:shouldStop:)``) and what to tell the user after it ran
/// (``notes(after:songCount:)``).
public enum PlaylistClustering: Sendable, Equatable {
    /// ``KMeans``.
    /// - Parameters:
    ///   - restarts: ≥ 1, the best is kept; default 10.
    ///   - maximumIterations: per restart, ≥ 1; default 300.
    ///   - tolerance: ≥ 0, relative to the features' mean variance; default 1e-4.
    case kmeans(restarts: Int = 10, maximumIterations: Int = 300, tolerance: Double = 1e-4)
    /// ``GaussianMixture``.
    /// - Parameters:
    ///   - covariance: the covariance shape; default diagonal.
    ///   - principalComponents: with full covariances, the data are first projected on this many
    ///     principal components (when they have more dimensions). The default, 16, was chosen by
    ///     measurement on the project's real-music set (see README).
    ///   - bridgeThreshold: a song whose second-best membership is at least this (in (0, 0.5]) also
    ///     appears in that second playlist, marked as a bridge; nil (the default) for none.
    ///   - restarts: ≥ 1, the best log-likelihood is kept; default 10.
    ///   - maximumIterations: EM iterations per restart, ≥ 1; default 100 (scikit-learn's).
    ///   - tolerance: stop when the mean log-likelihood changes by less, ≥ 0; default 1e-3 (scikit-learn's).
    case gmm(covariance: CovarianceKind = .diagonal, principalComponents: Int = 16, bridgeThreshold: Double? = nil,
             restarts: Int = 10, maximumIterations: Int = 100, tolerance: Double = 1e-3)
    /// ``AgglomerativeClustering`` with the given linkage (default Ward).
    case agglomerative(linkage: Linkage = .ward)
    /// ``HDBSCAN``.
    /// - Parameters:
    ///   - minimumClusterSize: the smallest playlist, ≥ 2; default 5.
    ///   - minimumSamples: neighbours that make a song a core song; nil (the default) uses `minimumClusterSize`.
    case hdbscan(minimumClusterSize: Int = 5, minimumSamples: Int? = nil)

    /// k-means with its defaults.
    public static let `default` = PlaylistClustering.kmeans()

    /// The algorithm's name.
    public var algorithm: PlaylistAlgorithm {
        switch self {
        case .kmeans: return .kmeans
        case .gmm: return .gmm
        case .agglomerative: return .agglomerative
        case .hdbscan: return .hdbscan
        }
    }

    /// The algorithm and the settings that describe it, e.g. `gmm (diag)`, `agglomerative (ward)`.
    public var summary: String {
        switch self {
        case .kmeans: return "kmeans"
        case let .gmm(covariance, principalComponents, bridgeThreshold, _, _, _):
            return "gmm (\(covariance.rawValue)" + (covariance == .full ? ", \(principalComponents) principal components" : "")
                + (bridgeThreshold.map { ", bridges at \($0)" } ?? "") + ")"
        case let .agglomerative(linkage): return "agglomerative (\(linkage.rawValue))"
        case let .hdbscan(minimumClusterSize, minimumSamples):
            return "hdbscan (min cluster size \(minimumClusterSize)"
                + (minimumSamples.map { ", min samples \($0)" } ?? "") + ")"
        }
    }

    /// GMM: the bridge threshold; nil for the other algorithms.
    public var bridgeThreshold: Double? {
        if case let .gmm(_, _, threshold, _, _, _) = self { return threshold }
        return nil
    }

    /// The clusterer this configuration runs.
    ///
    /// - Parameters:
    ///   - seed: seeds the algorithms that draw at random.
    ///   - shouldStop: asked between iterations (``Library/Cancellation/shouldStop``).
    public func clusterer(seed: UInt64, shouldStop: @escaping @Sendable () -> Bool) -> any Clusterer {
        switch self {
        case let .kmeans(restarts, maximumIterations, tolerance):
            var model = KMeans(clusterCount: 1, restarts: restarts, maximumIterations: maximumIterations,
                               tolerance: tolerance, seed: seed)
            model.shouldStop = shouldStop
            return model
        case let .gmm(covariance, principalComponents, _, restarts, maximumIterations, tolerance):
            var model = GaussianMixture(componentCount: 1, covariance: covariance, restarts: restarts,
                                        maximumIterations: maximumIterations, tolerance: tolerance, seed: seed)
            model.shouldStop = shouldStop
            return covariance == .full
                ? ProjectedClusterer(model, dimension: principalComponents, subject: "full covariances") : model
        case let .agglomerative(linkage):
            var model = AgglomerativeClustering(linkage: linkage)
            model.shouldStop = shouldStop
            return model
        case let .hdbscan(minimumClusterSize, minimumSamples):
            var model = HDBSCAN(minimumClusterSize: minimumClusterSize, minimumSamples: minimumSamples)
            model.shouldStop = shouldStop
            return model
        }
    }

    /// The rule by which a new song joins playlists already made (an update), as a ``Partition`` of the
    /// songs in them: each algorithm's own rule (``PartitionPlacement``), rebuilt from the kept playlists.
    ///
    /// k-means places a song at the nearest playlist mean (its centroids, recomputed in today's space).
    /// The Gaussian mixture places it by its posterior: the fitted components are not kept between runs,
    /// so the mixture is rebuilt from the kept playlists by one M-step (each playlist a component: its share
    /// of the songs, its mean and covariance; ``GaussianMixtureResult/init(hardLabels:in:covariance:componentCount:regularization:)``),
    /// on the same principal components as the fit for full covariances. Agglomerative clustering and HDBSCAN
    /// place it in the playlist of the nearest song (never in HDBSCAN's unsorted songs).
    ///
    /// - Parameters:
    ///   - labels: each kept song's playlist in `0..<clusterCount`, or ``Partition/noise``.
    ///   - space: the kept songs' rows, in the order of `labels`.
    func placement(of labels: [Int], clusterCount: Int, in space: FeatureMatrix) -> Partition {
        switch self {
        case let .gmm(covariance, principalComponents, _, _, _, _):
            let regularization = GaussianMixture(componentCount: 1).regularization
            func mixture(_ rows: FeatureMatrix) -> PartitionPlacement {
                .highestResponsibility(GaussianMixtureResult(hardLabels: labels, in: rows, covariance: covariance,
                                                             componentCount: clusterCount, regularization: regularization))
            }
            // As the fit (ProjectedClusterer): full covariances on the first principal components.
            let placement: PartitionPlacement
            if covariance == .full, principalComponents >= 1, space.columnCount > principalComponents {
                let projection = PrincipalComponents(fitting: space, dimension: principalComponents)
                placement = .projected(projection, then: mixture(projection.transform(space)))
            } else {
                placement = mixture(space)
            }
            return Partition(labels: labels, clusterCount: clusterCount, placement: placement)
        case .kmeans:
            let d = space.columnCount
            var sums = [Double](repeating: 0, count: clusterCount * d)
            var counts = [Int](repeating: 0, count: clusterCount)
            for (row, label) in labels.enumerated() where label >= 0 {
                counts[label] += 1
                for column in 0..<d { sums[label * d + column] += Double(space[row, column]) }
            }
            // A playlist without placed songs (only HDBSCAN's unsorted one can be) never attracts a song.
            let centres = (0..<clusterCount).map { cluster in
                (0..<d).map { column in
                    counts[cluster] == 0 ? Float.greatestFiniteMagnitude : Float(sums[cluster * d + column] / Double(counts[cluster]))
                }
            }
            return Partition(labels: labels, clusterCount: clusterCount, placement: .nearestCentre(FeatureMatrix(rows: centres)))
        case .agglomerative, .hdbscan:
            return Partition(labels: labels, clusterCount: clusterCount,
                             placement: .nearestMember(items: space, labels: labels))
        }
    }

    /// What the user should know after the clusterer ran on `songCount` songs (beyond the fit's own notes).
    func notes(after partition: Partition, songCount: Int) -> [String] {
        guard case let .hdbscan(minimumClusterSize, minimumSamples) = self else { return [] }
        var notes: [String] = []
        let asked = minimumSamples ?? minimumClusterSize
        if asked > songCount { notes.append("minSamples \(asked) is more than the \(songCount) songs: \(songCount) used") }
        if partition.clusterCount == 0 {
            notes.append("hdbscan found no cluster of at least \(minimumClusterSize) songs: "
                + "every song is in '\(PlaylistBuilder.unsortedName)'")
        } else if partition.noiseCount > 0 {
            notes.append("\(partition.noiseCount) song\(partition.noiseCount == 1 ? "" : "s") fit no cluster: "
                + "they are in '\(PlaylistBuilder.unsortedName)', listed last")
        }
        return notes
    }
}

/// A parameter of playlist clustering that only some algorithms use
/// (``PlaylistAlgorithm/parameters`` says which).
///
/// The library names parameters, never command-line flags; the CLI maps each to its flag.
public enum ClusteringParameter: String, Sendable, CaseIterable, Hashable {
    /// ``PlaylistBuilder/clusterCount``: HDBSCAN finds the number itself.
    case clusterCount
    /// ``PlaylistBuilder/countStrategy``: HDBSCAN finds the number itself.
    case countStrategy
    /// Restarts of k-means and of the Gaussian mixture.
    case restarts
    /// Iterations per restart (k-means' Lloyd/Hamerly steps, the mixture's EM steps).
    case maximumIterations
    /// Convergence threshold (k-means: centre shift; the mixture: log-likelihood change).
    case tolerance
    /// The mixture's covariance shape.
    case covariance
    /// The principal components a full-covariance mixture is fitted on.
    case principalComponents
    /// The mixture's bridge threshold.
    case bridgeThreshold
    /// Agglomerative linkage.
    case linkage
    /// HDBSCAN's smallest cluster.
    case minimumClusterSize
    /// HDBSCAN's core neighbours.
    case minimumSamples

    /// The algorithms that use this parameter, in ``PlaylistAlgorithm/allCases`` order.
    public var algorithms: [PlaylistAlgorithm] {
        PlaylistAlgorithm.allCases.filter { $0.parameters.contains(self) }
    }
}
