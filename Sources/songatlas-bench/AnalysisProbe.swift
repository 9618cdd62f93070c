import ArgumentParser
import Features
import Foundation

/// Hidden helper for instruction profiles: analyses FILE once, in this thread,
/// the hand-crafted path or with `--embedding` the default analysis (MTT,
/// default patch budget), and prints the summary's first values. Run it under
/// `valgrind --tool=callgrind` (see scripts/profile-analysis).
struct AnalysisProbe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analysis-probe", shouldDisplay: false)

    @Flag(help: "Also compute the MTT embedding (default patch budget).")
    var embedding = false

    @Option(help: ArgumentHelp("The models directory (default: as songatlas model).", valueName: "dir"))
    var models: String?

    @Argument(help: ArgumentHelp("An audio file.", valueName: "file"))
    var file: String

    func run() throws {
        let store = ModelStore(directory: models.map { URL(fileURLWithPath: $0) }
            ?? ModelStore.defaultDirectory(environment: ProcessInfo.processInfo.environment))
        let extractor = try embedding ? EmbeddingExtractor(weights: store.loadWeights(.mtt)) : nil
        let features = try FeatureExtractor().summarize(path: file, embedding: extractor)
        print("analysed \(String(format: "%.1f", features.analyzedSeconds)) s; summary[0..<4] = "
            + features.summary.values.prefix(4).map { String(format: "%.6g", $0) }.joined(separator: " ")
            + (features.embeddings.first.map { String(format: "; embedding[0] = %.6g", $0.values[0]) } ?? ""))
    }
}
