import ArgumentParser
import Clustering
import SongAtlas

/// `--algorithm` and the options of each clusterer, shared by `playlists` and `map`.
///
/// An option that belongs to another algorithm than the one chosen is an
/// error naming the flag, so a forgotten `--algorithm` does not go unnoticed.
struct ClustererOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How songs are grouped: kmeans; gmm (Gaussian mixture, soft membership); agglomerative (a family tree, "
            + "written as dendrogram.json/.svg); hdbscan (finds the number itself, misfits go to 'unsorted').",
        valueName: "algorithm"))
    var algorithm: PlaylistAlgorithm = .kmeans

    @Option(help: ArgumentHelp(
        "How an automatic number of playlists is chosen: silhouette (any algorithm but hdbscan), bic (gmm) or gap "
            + "(the largest gap in merge heights, agglomerative). Default: silhouette for kmeans, bic for gmm, gap for "
            + "agglomerative.", valueName: "rule"))
    var chooseK: ClusterCountStrategy?

    @Option(help: ArgumentHelp("gmm: covariance per component, diag or full (full runs on principal components; default: diag).",
                               valueName: "diag|full"))
    var covariance: CovarianceKind?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "gmm --covariance full: principal components to fit on (1–64; default 16).", valueName: "n"))
    var pcaDimensions: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "gmm: a song whose second-best membership is at least P (0 < P ≤ 0.5) also appears in that playlist, as a bridge.",
        valueName: "P"))
    var bridges: Double?

    @Option(help: ArgumentHelp("agglomerative: ward, average or complete linkage (default ward).",
                               valueName: "linkage"))
    var linkage: Linkage?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "hdbscan: the smallest playlist (2–100000; default 5).", valueName: "n"))
    var minClusterSize: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "hdbscan: neighbours that make a song a core song (1–100000; default: --min-cluster-size).", valueName: "n"))
    var minSamples: Int?

    /// The flag of each clustering parameter (the library names parameters, never flags).
    static func flag(of parameter: ClusteringParameter) -> String {
        switch parameter {
        case .clusterCount: return "-k"
        case .countStrategy: return "--choose-k"
        case .restarts: return "--restarts"
        case .maximumIterations: return "--max-iterations"
        case .tolerance: return "--tolerance"
        case .covariance: return "--covariance"
        case .principalComponents: return "--pca-dimensions"
        case .bridgeThreshold: return "--bridges"
        case .linkage: return "--linkage"
        case .minimumClusterSize: return "--min-cluster-size"
        case .minimumSamples: return "--min-samples"
        }
    }

    /// The one-line refusal of a flag the chosen algorithm does not use, e.g.
    /// `--max-iterations applies to --algorithm kmeans or gmm only, not hdbscan`.
    static func refusal(_ flag: String, parameter: ClusteringParameter, algorithm: PlaylistAlgorithm) -> String {
        let owners = parameter.algorithms.map(\.rawValue)
        let list = owners.count > 1 ? owners.dropLast().joined(separator: ", ") + " or " + owners.last! : owners.joined()
        return "\(flag) applies to --algorithm \(list) only, not \(algorithm.rawValue)"
    }

    /// The flags of this group that were given, with their parameters.
    private var givenParameters: [(flag: String, parameter: ClusteringParameter)] {
        let given: [(ClusteringParameter, Bool)] = [
            (.countStrategy, chooseK != nil), (.covariance, covariance != nil), (.principalComponents, pcaDimensions != nil), (.bridgeThreshold, bridges != nil),
            (.linkage, linkage != nil), (.minimumClusterSize, minClusterSize != nil), (.minimumSamples, minSamples != nil),
        ]
        return given.filter(\.1).map { (Self.flag(of: $0.0), $0.0) }
    }

    func validate() throws {
        try refuseUnused([])
        if let chooseK, !algorithm.countStrategies.contains(chooseK) {
            let owners = PlaylistAlgorithm.allCases.filter { $0.countStrategies.contains(chooseK) }.map(\.rawValue)
            throw ValidationError("--choose-k \(chooseK.rawValue) applies to --algorithm "
                + owners.joined(separator: " or ") + " only, not \(algorithm.rawValue)")
        }
        if let pcaDimensions {
            if covariance != .full {
                throw ValidationError("--pca-dimensions applies to --covariance full only")
            }
            try requireRange(pcaDimensions, 1...64, flag: "--pca-dimensions")
        }
        if let bridges, !(bridges > 0 && bridges <= 0.5) {
            throw ValidationError("--bridges must be more than 0 and at most 0.5, got \(bridges)")
        }
        if let minClusterSize { try requireRange(minClusterSize, 2...100_000, flag: "--min-cluster-size") }
        if let minSamples { try requireRange(minSamples, 1...100_000, flag: "--min-samples") }
    }

    /// Refuses every flag given (this group's and the command's `flags`) that the chosen algorithm
    /// does not use (``PlaylistAlgorithm/parameters``): one line naming the flag and the algorithm.
    ///
    /// - Parameter flags: the command's own clustering flags that were given, e.g. `("-k 3", .clusterCount)`.
    func refuseUnused(_ flags: [(flag: String, parameter: ClusteringParameter)]) throws {
        for (flag, parameter) in givenParameters + flags where !algorithm.parameters.contains(parameter) {
            throw ValidationError(Self.refusal(flag, parameter: parameter, algorithm: algorithm))
        }
    }

    /// The library's settings: the chosen algorithm with the flags given, its own defaults for the rest.
    ///
    /// - Parameters: `playlists`' shared flags, nil when not given.
    func clustering(restarts: Int? = nil, maximumIterations: Int? = nil, tolerance: Double? = nil) -> PlaylistClustering {
        switch algorithm.defaultClustering {
        case let .kmeans(defaultRestarts, defaultIterations, defaultTolerance):
            return .kmeans(restarts: restarts ?? defaultRestarts, maximumIterations: maximumIterations ?? defaultIterations,
                           tolerance: tolerance ?? defaultTolerance)
        case let .gmm(defaultCovariance, defaultComponents, _, defaultRestarts, defaultIterations, defaultTolerance):
            return .gmm(covariance: covariance ?? defaultCovariance, principalComponents: pcaDimensions ?? defaultComponents,
                        bridgeThreshold: bridges, restarts: restarts ?? defaultRestarts,
                        maximumIterations: maximumIterations ?? defaultIterations, tolerance: tolerance ?? defaultTolerance)
        case let .agglomerative(defaultLinkage):
            return .agglomerative(linkage: linkage ?? defaultLinkage)
        case let .hdbscan(defaultSize, _):
            return .hdbscan(minimumClusterSize: minClusterSize ?? defaultSize, minimumSamples: minSamples)
        }
    }
}

extension PlaylistAlgorithm: ExpressibleByArgument {}
extension CovarianceKind: ExpressibleByArgument {}
extension Linkage: ExpressibleByArgument {}
extension ClusterCountStrategy: ExpressibleByArgument {}
