import Clustering
import Foundation
import SongAtlas

/// `songatlas-bench kmeans MATRIX.f32 [--peer PYTHON]`: k-means (k = 8,
/// 10 restarts) on a raw float32 matrix of 100,000 × 40, side by side with
/// scikit-learn's KMeans on the same file.
enum KMeansBenchmark {
    static func run(matrixPath: String, rows: Int, columns: Int, repeats: Int, peerPython: String?) throws {
        var peer: [String: Any]?
        if let peerPython {
            // The peer makes the matrix (seeded) if it does not exist yet.
            let script = Benchmark.repositoryFile("scripts/python/kmeans_bench.py")
            peer = try Benchmark.runJSON(python: peerPython, arguments: [
                script, matrixPath, "--rows", "\(rows)", "--columns", "\(columns)", "--repeats", "\(repeats)"])
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: matrixPath))
        guard data.count == rows * columns * 4 else {
            throw BenchmarkError("\(matrixPath) holds \(data.count) bytes, not \(rows)×\(columns) float32")
        }
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let matrix = FeatureMatrix(rowCount: rows, columnCount: columns, values: values)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var times: [Double] = []
        var inertias: [Double] = []
        for repeat_ in 0..<max(repeats, 1) {
            let start = Date()
            let result = try KMeans(clusterCount: 8, restarts: 10, seed: UInt64(repeat_)).fit(matrix, jobs: cores)
            times.append(Date().timeIntervalSince(start))
            inertias.append(result.inertia)
        }
        let ours = Benchmark.medianOf(times)
        print("k-means, k = 8, 10 restarts, \(rows)×\(columns) float32, \(cores) cores, median of \(repeats)")
        print(String(format: "SongAtlas    %7.3f s   best inertia %.6g", ours, inertias.min()!))
        if let peer, let seconds = peer["medianSeconds"] as? Double, let inertia = peer["inertia"] as? Double {
            print(String(format: "scikit-learn %7.3f s   best inertia %.6g   (%@)", seconds, inertia,
                         peer["version"] as? String ?? "?"))
            print(String(format: "speed-up: %.2fx; inertia ratio (ours / scikit-learn): %.6f", seconds / ours,
                         inertias.min()! / inertia))
        }
    }
}
