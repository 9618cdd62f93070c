import ArgumentParser
import AudioDecoding
import Clustering
import Features
import Foundation
import Library

/// `songatlas-bench embedding-budget [--models DIR] [--model mtt|msd] FOLDER`:
/// how much the patch budget costs in quality, to choose ``PatchBudget/default``.
///
/// Every whole patch of every file is run once; the embedding under a budget
/// of n evenly spaced patches is the mean of the patches
/// ``PatchBudget/chosenPatches(of:)`` names (the streaming path gives the same values; EmbeddingStreamingTests).
/// For each budget it prints the mean cosine to the every-patch embedding and
/// the adjusted Rand index of k-means (k = number of labels, 10 restarts,
/// 5 seeds, raw embeddings) against the labels in the file names
/// ("SOURCE--TRACK.flac"), and the network's CPU time per track.
struct EmbeddingBudgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedding-budget",
        abstract: "Quality of the musicnn embedding against its patch budget (1, 3, 5, 10, all patches).")

    @Option(help: ArgumentHelp("The models directory (default: as songatlas model).", valueName: "dir"))
    var models: String?

    @Option(help: "The model: mtt or msd.")
    var model: String = "mtt"

    @Argument(help: ArgumentHelp("Folders or files named SOURCE--TRACK.*; SOURCE is the label.", valueName: "file-or-folder"))
    var paths: [String]

    func run() throws {
        guard let musicnn = MusicnnModel(rawValue: model) else { throw ValidationError("--model must be mtt or msd") }
        let store = ModelStore(directory: models.map { URL(fileURLWithPath: $0) }
            ?? ModelStore.defaultDirectory(environment: ProcessInfo.processInfo.environment))
        let weights = try store.loadWeights(musicnn)
        let (files, _) = AudioFileScanner.scan(paths)
        guard !files.isEmpty else { throw BenchmarkError("no audio files") }
        let labelNames = files.map { URL(fileURLWithPath: $0).lastPathComponent.components(separatedBy: "--")[0] }
        let distinct = Array(Set(labelNames)).sorted()
        let labels = labelNames.map { distinct.firstIndex(of: $0)! }

        // Every patch's embedding, per file (2 workers).
        nonisolated(unsafe) var perFile = [[[Float]]](repeating: [], count: files.count)
        let lock = NSLock()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        DispatchQueue.concurrentPerform(iterations: cores) { worker in
            let extractor = EmbeddingExtractor(weights: weights, patchBudget: .all)
            for index in stride(from: worker, to: files.count, by: cores) {
                guard let samples = try? AudioDecoder(path: files[index]).decodeAll() else { continue }
                let rows = extractor.logMelSpectrogram(samples22050: samples)
                let patches = (0..<(rows.count / 187)).map { Array(rows[($0 * 187)..<(($0 + 1) * 187)].joined()) }
                let embeddings = patches.isEmpty ? [] : extractor.embed(patches: patches).map(\.embedding)
                lock.lock()
                perFile[index] = embeddings
                lock.unlock()
            }
        }
        let usable = perFile.indices.filter { !perFile[$0].isEmpty }
        print("\(usable.count) tracks, \(distinct.count) labels (\(distinct.joined(separator: ", "))), model musicnn-\(model); "
            + String(format: "%.1f patches per track on average", Double(usable.map { perFile[$0].count }.reduce(0, +)) / Double(usable.count)))
        func mean(_ rows: [[Float]]) -> [Float] {
            (0..<rows[0].count).map { unit in rows.reduce(Float(0)) { $0 + $1[unit] } / Float(rows.count) }
        }
        func cosine(_ a: [Float], _ b: [Float]) -> Double {
            var dot = 0.0, aa = 0.0, bb = 0.0
            for (x, y) in zip(a, b) { dot += Double(x * y); aa += Double(x * x); bb += Double(y * y) }
            return dot / max((aa * bb).squareRoot(), 1e-30)
        }
        let full = usable.map { mean(perFile[$0]) }
        print("budget   mean cosine to every patch   ARI (k=\(distinct.count), 5 seeds: mean ± sd)")
        for budget in [PatchBudget.evenlySpaced(1), .evenlySpaced(3), .evenlySpaced(5), .evenlySpaced(10), .all] {
            let embeddings = usable.map { index -> [Float] in
                mean(budget.chosenPatches(of: perFile[index].count).map { perFile[index][$0] })
            }
            let cosines = zip(embeddings, full).map(cosine)
            var scores: [Double] = []
            for seed in 0..<5 {
                let result = try KMeans(clusterCount: distinct.count, restarts: 10, seed: UInt64(seed)).fit(FeatureMatrix(rows: embeddings))
                scores.append(PartitionAgreement(reference: usable.map { labels[$0] }, predicted: result.labels).adjustedRandIndex)
            }
            let average = scores.reduce(0, +) / 5
            let spread = (scores.map { ($0 - average) * ($0 - average) }.reduce(0, +) / 5).squareRoot()
            print(budget.description.padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(format: "%.4f (min %.4f)", cosines.reduce(0, +) / Double(cosines.count), cosines.min()!)
                    .padding(toLength: 29, withPad: " ", startingAt: 0)
                + String(format: "%.3f ± %.3f", average, spread))
        }
    }
}
