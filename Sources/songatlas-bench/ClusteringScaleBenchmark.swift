import ArgumentParser
import Clustering
import Foundation

/// `songatlas-bench clustering-scale`: k-means, the Gaussian mixture and the SOM on one seeded synthetic
/// matrix of N rows, one algorithm per process, with its time and the process's peak RSS: how far
/// clustering goes on one machine (docs/ARCHITECTURE.md, "past one machine").
struct ClusteringScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clustering-scale",
        abstract: "k-means (k = 8, 10 restarts), GMM (diag, k = 8) or the SOM (40 x 40) on N synthetic rows: time and peak RSS.",
        discussion: "The matrix is 8 seeded Gaussian blobs of --columns float32 values, made in memory. Run one "
            + "--algorithm per process so that the peak RSS printed is that algorithm's.")

    enum Algorithm: String, ExpressibleByArgument, CaseIterable {
        case kmeans, gmm, som
    }

    @Option(help: "The algorithm to run.")
    var algorithm: Algorithm

    @Option(help: ArgumentHelp("Rows of the synthetic matrix.", valueName: "N"))
    var rows = 100_000

    @Option(help: ArgumentHelp("Columns of the synthetic matrix.", valueName: "N"))
    var columns = 40

    func validate() throws {
        guard rows >= 1600 else { throw ValidationError("--rows must be at least 1600 (a 40 x 40 map), got \(rows)") }
        guard (1...4096).contains(columns) else { throw ValidationError("--columns must be in 1...4096, got \(columns)") }
    }

    func run() throws {
        var generator = SeededGenerator(seed: 25)
        let centres = (0..<8 * columns).map { _ in Float(generator.nextUnit() * 10 - 5) }
        var values = [Float](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            let blob = row % 8
            for column in 0..<columns {
                values[row * columns + column] = centres[blob * columns + column] + Float(generator.nextUnit() - 0.5) * 2
            }
        }
        let matrix = FeatureMatrix(rowCount: rows, columnCount: columns, values: values)
        values = []
        let matrixMegabytes = Double(rows * columns * 4) / 1_048_576
        let before = Benchmark.peakResidentMegabytes()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let start = Date()
        let startCPU = ClusterersCommand.processorSeconds()
        let found: String
        switch algorithm {
        case .kmeans:
            let result = try KMeans(clusterCount: 8, restarts: 10, seed: 1).fit(matrix, jobs: cores)
            found = String(format: "inertia %.6g", result.inertia)
        case .gmm:
            let result = try GaussianMixture(componentCount: 8, covariance: .diagonal, seed: 1).fit(matrix, jobs: cores)
            found = String(format: "log-likelihood %.6f (%d iterations)", result.logLikelihood, result.iterations)
        case .som:
            let result = try SelfOrganizingMap(width: 40, height: 40, seed: 1).train(matrix, jobs: cores)
            found = String(format: "QE %.4f TE %.4f", result.quantizationError, result.topographicError)
        }
        let seconds = Date().timeIntervalSince(start)
        let cpu = ClusterersCommand.processorSeconds() - startCPU
        print(String(format: "%@ on %d x %d (matrix %.0f MB): %.2f s wall, %.2f s CPU, %d cores; peak RSS %.0f MB "
                        + "(%.0f MB before the fit); %@",
                     algorithm.rawValue, rows, columns, matrixMegabytes, seconds, cpu, cores,
                     Benchmark.peakResidentMegabytes(), before, found))
    }
}
