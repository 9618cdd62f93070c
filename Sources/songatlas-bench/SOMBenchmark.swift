import Clustering
import Foundation
import SongAtlas

/// `songatlas-bench som [--peer PYTHON] [MATRIX.f32]`: batch SOM training on a
/// 10,000 × 40 float32 matrix with a 20 × 20 grid, side by side with
/// MiniSom's 10,000-iteration `train_random` on the same file; then 100,000
/// songs on a 40 × 40 grid, on all rows and on the sample `map` trains on at that size.
enum SOMBenchmark {
    static func run(matrixPath: String, repeats: Int, peerPython: String?) throws {
        var peer: [String: Any]?
        if let peerPython {
            peer = try Benchmark.runJSON(python: peerPython, arguments: [
                Benchmark.repositoryFile("scripts/python/som_bench.py"), matrixPath, "--repeats", "\(repeats)"])
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: matrixPath))
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let matrix = FeatureMatrix(rowCount: values.count / 40, columnCount: 40, values: values)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var times: [Double] = []
        var result: SOMResult?
        for repeat_ in 0..<max(1, repeats) {
            let start = Date()
            result = try SelfOrganizingMap(width: 20, height: 20, seed: UInt64(repeat_)).train(matrix, jobs: cores)
            times.append(Date().timeIntervalSince(start))
        }
        print("SOM, 20×20 grid, \(matrix.rowCount)×40 float32, \(cores) cores, median of \(repeats)")
        print(String(format: "SongAtlas batch (20 epochs)  %7.3f s   QE %.4f   TE %.4f", Benchmark.medianOf(times),
                     result!.quantizationError, result!.topographicError))
        if let peer, let seconds = peer["medianSeconds"] as? Double, let qe = peer["quantizationError"] as? Double,
           let te = peer["topographicError"] as? Double {
            print(String(format: "MiniSom %@ (10,000 it.)   %7.3f s   QE %.4f   TE %.4f", peer["version"] as? String ?? "?",
                         seconds, qe, te))
            print(String(format: "speed-up %.2fx; QE ratio (ours / MiniSom) %.3f", seconds / Benchmark.medianOf(times),
                         result!.quantizationError / qe))
        }
        // 100,000 songs on a 40 × 40 grid: the matrix repeated with small seeded jitter.
        var generator = SeededGenerator(seed: 5)
        var large = [Float](repeating: 0, count: 100_000 * 40)
        for row in 0..<100_000 {
            let source = row % matrix.rowCount
            for column in 0..<40 {
                large[row * 40 + column] = matrix[source, column] + Float(generator.nextUnit() - 0.5) * 0.1
            }
        }
        let largeMatrix = FeatureMatrix(rowCount: 100_000, columnCount: 40, values: large)
        let start = Date()
        let big = try SelfOrganizingMap(width: 40, height: 40).train(largeMatrix, jobs: cores)
        print(String(format: "SongAtlas batch, 100,000×40 on 40×40: %.2f s   QE %.4f   TE %.4f",
                     Date().timeIntervalSince(start), big.quantizationError, big.topographicError))
        // The same, trained on the seeded sample `map` trains on past SongMapBuilder.trainingSampleThreshold songs.
        var sampled = SelfOrganizingMap(width: 40, height: 40)
        sampled.trainingSampleSize = SongMapBuilder.trainingSampleThreshold
        let sampleStart = Date()
        let fromSample = try sampled.train(largeMatrix, jobs: cores)
        print(String(format: "… trained on a sample of %d rows: %.2f s   QE %.4f   TE %.4f (all rows)",
                     SongMapBuilder.trainingSampleThreshold, Date().timeIntervalSince(sampleStart),
                     fromSample.quantizationError, fromSample.topographicError))
    }
}
