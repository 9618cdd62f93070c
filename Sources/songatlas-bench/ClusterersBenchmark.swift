import ArgumentParser
import Clustering
import Foundation

/// `songatlas-bench clusterers`: the Gaussian mixture, Ward and HDBSCAN,
/// each beside scikit-learn on the same seeded matrix in the same run.
struct ClusterersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusterers",
        abstract: "GMM (diag, k = 8) on 100,000 x 32, Ward on 10,000 x 200 and HDBSCAN on 20,000 x 32, beside scikit-learn.",
        discussion: "With --peer, scripts/python/clusterers_bench.py makes the seeded matrices in FOLDER if they are "
            + "missing, then is timed on them.")

    @OptionGroup var repeatOptions: RepeatOptions
    @OptionGroup var peerOptions: PeerOptions

    @Option(help: "Run only these cases (gmm, ward, hdbscan); all by default.")
    var only: [Case] = []

    @Argument(help: ArgumentHelp("Folder of the raw float32 matrices.", valueName: "folder"))
    var folder = NSTemporaryDirectory() + "songatlas-clusterers"

    /// CPU time of this process so far (user + system, all threads), in seconds.
    static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    enum Case: String, ExpressibleByArgument, CaseIterable {
        case gmm, ward, hdbscan
        var file: (name: String, rows: Int, columns: Int) {
            switch self {
            case .gmm: return ("gmm-100000x32.f32", 100_000, 32)
            case .ward: return ("ward-10000x200.f32", 10_000, 200)
            case .hdbscan: return ("hdbscan-20000x32.f32", 20_000, 32)
            }
        }
    }

    func run() throws {
        let cases = only.isEmpty ? Case.allCases : only
        var peer: [String: Any]?
        if let python = peerOptions.peer {
            peer = try Benchmark.runJSON(python: python, arguments: [
                Benchmark.repositoryFile("scripts/python/clusterers_bench.py"), folder,
                "--repeats", "\(repeatOptions.repeats)"] + cases.flatMap { ["--only", $0.rawValue] })
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("clusterers beside \(peer.map { "scikit-learn \($0["version"] as? String ?? "?")" } ?? "nothing (no --peer)"), "
            + "\(cores) cores, median of \(repeatOptions.repeats)")
        for item in cases {
            let (name, rows, columns) = item.file
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), data.count == rows * columns * 4 else {
                throw BenchmarkError("\(path) is missing or not \(rows)×\(columns) float32; give --peer PYTHON to make it")
            }
            let matrix = FeatureMatrix(rowCount: rows, columnCount: columns,
                                       values: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
            var times: [Double] = []
            var cpuTimes: [Double] = []
            var found: [String] = []
            for repeat_ in 0..<repeatOptions.repeats {
                let start = Date()
                let startCPU = Self.processorSeconds()
                switch item {
                case .gmm:
                    let result = try GaussianMixture(componentCount: 8, covariance: .diagonal, seed: UInt64(repeat_))
                        .fit(matrix, jobs: cores)
                    times.append(Date().timeIntervalSince(start))
                    cpuTimes.append(Self.processorSeconds() - startCPU)
                    found.append(String(format: "log-likelihood %.6f (%d iterations)", result.logLikelihood,
                                        result.iterations))
                case .ward:
                    let tree = try AgglomerativeClustering(linkage: .ward).fit(matrix, jobs: cores)
                    let labels = tree.labels(clusterCount: 8)
                    times.append(Date().timeIntervalSince(start))
                    cpuTimes.append(Self.processorSeconds() - startCPU)
                    var sizes = [Int](repeating: 0, count: 8)
                    for label in labels { sizes[label] += 1 }
                    found.append("sizes \(sizes.sorted(by: >))")
                case .hdbscan:
                    let result = try HDBSCAN(minimumClusterSize: 5).fit(matrix, jobs: cores)
                    times.append(Date().timeIntervalSince(start))
                    cpuTimes.append(Self.processorSeconds() - startCPU)
                    found.append("\(result.clusterCount) clusters, \(result.noiseCount) noise")
                }
            }
            let ours = Benchmark.medianOf(times)
            let oursCPU = Benchmark.medianOf(cpuTimes)
            print("\n\(item.rawValue) on \(rows) × \(columns)  (wall, and CPU time of all threads)")
            print(String(format: "  SongAtlas    %8.3f s  CPU %8.3f s   %@", ours, oursCPU, found.joined(separator: "; ")))
            if let run = peer?[item.rawValue] as? [String: Any], let seconds = run["medianSeconds"] as? Double,
               let cpu = run["medianCPUSeconds"] as? Double {
                let runs = (run["runs"] as? [[String: Any]]) ?? []
                let described = runs.map { entry in
                    entry.keys.sorted().map { "\($0) \(entry[$0]!)" }.joined(separator: ", ")
                }.joined(separator: "; ")
                print(String(format: "  scikit-learn %8.3f s  CPU %8.3f s   %@", seconds, cpu, described))
                print(String(format: "  speed-up: %.2fx wall, %.2fx CPU", seconds / ours, cpu / oursCPU))
            }
        }
    }
}
