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

    @Option(help: ArgumentHelp("gmm: covariance per component, diag or full (full runs on principal components).",
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

    func validate() throws {
        func requireAlgorithm(_ wanted: PlaylistAlgorithm, _ flag: String, given: Bool) throws {
            if given && algorithm != wanted {
                throw ValidationError("\(flag) applies to --algorithm \(wanted.rawValue) only, not \(algorithm.rawValue)")
            }
        }
        try requireAlgorithm(.gmm, "--covariance", given: covariance != nil)
        try requireAlgorithm(.gmm, "--pca-dimensions", given: pcaDimensions != nil)
        try requireAlgorithm(.gmm, "--bridges", given: bridges != nil)
        try requireAlgorithm(.agglomerative, "--linkage", given: linkage != nil)
        try requireAlgorithm(.hdbscan, "--min-cluster-size", given: minClusterSize != nil)
        try requireAlgorithm(.hdbscan, "--min-samples", given: minSamples != nil)
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

    /// Checks `-k` against the algorithm: hdbscan finds the number itself.
    func validate(clusterCount: ClusterCountArgument) throws {
        if algorithm == .hdbscan, let k = clusterCount.count {
            throw ValidationError("-k \(k) does not apply to --algorithm hdbscan, which finds the number of playlists itself")
        }
    }

    /// The library's settings.
    var clustering: PlaylistClustering {
        var clustering = PlaylistClustering()
        clustering.algorithm = algorithm
        if let covariance { clustering.covariance = covariance }
        if let pcaDimensions { clustering.principalComponents = pcaDimensions }
        clustering.bridgeThreshold = bridges
        if let linkage { clustering.linkage = linkage }
        if let minClusterSize { clustering.minimumClusterSize = minClusterSize }
        clustering.minimumSamples = minSamples
        return clustering
    }
}

extension PlaylistAlgorithm: ExpressibleByArgument {}
extension CovarianceKind: ExpressibleByArgument {}
extension Linkage: ExpressibleByArgument {}
