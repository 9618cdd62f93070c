import ArgumentParser
import Clustering
import Export
import Foundation
import SongAtlas

/// `evaluate clusters --compare`: every clusterer on one labelled library, in one table.
struct CompareOptions: ParsableArguments {
    @Option(name: [.customShort("k"), .customLong("k")], parsing: .unconditional,
            help: ArgumentHelp("Playlists for every algorithm but hdbscan (1–1000), or 'auto' (each its own way; default: auto).",
                               valueName: "n|auto"))
    var clusterCount: ClusterCountArgument?

    @Option(parsing: .unconditional, help: "Random seed (0–18446744073709551615; default: 0, as for playlists).")
    var seed: UInt64?

    @OptionGroup var featureChoice: FeatureChoiceOptions
    @OptionGroup var library: LibraryOptions

    /// Whether any of these options was given (they need --compare).
    var given: Bool {
        clusterCount != nil || seed != nil || library.cache != nil || library.noCache || library.analysis.jobs != nil
            || library.analysis.excerpt != nil || featureChoice.features != nil || library.embedding.embedding != nil
            || library.embedding.embeddingPatches != nil
    }

    func validate() throws {
        try clusterCount?.validate()
    }

    func run(paths: [String], labelOptions: LabelOptions, json: Bool) throws {
        let embedding = library.embedding.prepare(quiet: library.analysis.quiet)
        let analysis = try library.analyzeLibrary(paths, product: "comparison", embedding: embedding)
        let tracks = analysis.tracks
        guard let labels = try labelOptions.load(paths: tracks.map(\.path)),
              ReferenceLabels.labelledCount(tracks.map(\.path), labels: labels) > 0
        else {
            Terminal.printError("songatlas: no analysed track has a reference label")
            throw ExitCode.failure
        }
        var builder = PlaylistBuilder()
        builder.space = featureChoice.space(embedding, weights: nil)
        builder.clusterCount = clusterCount?.count
        if let seed { builder.seed = seed }
        if let jobs = library.analysis.jobs { builder.jobs = jobs }
        let quiet = library.analysis.quiet
        let rows: [ClustererComparison]
        do {
            rows = try Atlas.compareClusterers(tracks, builder: builder, labels: labels,
                                               progress: quiet ? nil : { Terminal.printError("songatlas: running \($0)") },
                                               cancellation: InterruptHandler.cancellation)
        } catch ClusteringError.cancelled {
            throw Terminal.interrupted(product: "comparison")
        }
        if json {
            FileHandle.standardOutput.write(try JSONOutput.encoder().encode(rows) + Data("\n".utf8))
            return
        }
        print(Self.table(rows, trackCount: tracks.count))
    }

    /// The comparison as an aligned text table.
    static func table(_ rows: [ClustererComparison], trackCount: Int) -> String {
        let width = max(28, (rows.map(\.algorithm.count).max() ?? 0) + 2)
        func pad(_ text: String, _ count: Int) -> String { text.padding(toLength: count, withPad: " ", startingAt: 0) }
        func number(_ value: Double?) -> String { value.map { String(format: "%8.3f", $0) } ?? "       –" }
        var lines = [pad("algorithm", width) + "     k  chosen by       ARI     AMI  V-meas  silhou  playlists  unsorted    time"]
        for row in rows {
            if let failure = row.failure {
                lines.append(pad(row.algorithm, width) + "  failed: " + failure)
                continue
            }
            let k = row.k.map { String(format: "%6d", $0) } ?? "     –"
            lines.append(pad(row.algorithm, width) + k + "  " + pad(row.kChosenBy ?? "", 10)
                + number(row.agreement?.adjustedRandIndex)
                + number(row.agreement?.adjustedMutualInformation) + number(row.agreement?.vMeasure)
                + number(row.silhouette) + String(format: "  %9d  %8d  %6.2fs", row.playlistCount, row.unsortedCount,
                                                  row.seconds))
        }
        lines.append("\(trackCount) songs; k is the number of clusters fit (given by -k, chosen by a rule, or found by "
            + "hdbscan), before playlists smaller than \(PlaylistBuilder().minimumSize) songs joined their neighbours. Every row uses the feature space, "
            + "seed and restarts 'playlists' uses. Unsorted songs (hdbscan's noise) count as one cluster in ARI, AMI and "
            + "V-measure and are left out of the silhouette.")
        return lines.joined(separator: "\n")
    }
}
