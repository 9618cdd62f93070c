import ArgumentParser
import Clustering
import Export
import Foundation
import Library
import SongAtlas

/// `songatlas-bench stability`: how well kept playlists hold as a library grows, on a real set with known sources.
///
/// For each seed, 90 % of every source is placed (`playlists` on a new folder), then the other 10 % is added as
/// an update. Reported: the share of placed songs that keep their playlist (aim 100 %), the share of new songs
/// that land in a playlist where most songs are of their own source (beside the same share for a full
/// re-cluster of the whole set), and the update's clustering time against a full run's. Then a `--recluster`
/// of the whole set with nothing added, on another seed: the share of songs that stay in a playlist of the same
/// file. Last, the drift measure (``PlaylistDocument/Changes/Drift``) for the 10 % update and for each source
/// left out of the placed set and then added, which is what ``PlaylistUpdate/driftThreshold`` is chosen from.
struct StabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stability",
        abstract: "Kept playlists as the library grows: update vs full run, recluster id keeping, drift per added source.",
        discussion: "Analyses FOLDER through the feature cache (--cache; the default one by default) with the "
            + "installed embedding model, as `songatlas playlists` does.")

    @Argument(help: ArgumentHelp("Folder of the set, with its labels.csv (path,label).", valueName: "folder"))
    var folder: String

    @Option(help: ArgumentHelp("The labels file (default FOLDER/labels.csv).", valueName: "file"))
    var labels: String?

    @Option(help: ArgumentHelp("Feature cache.", valueName: "path"))
    var cache = FeatureCache.defaultPath

    @Option(help: ArgumentHelp("Seeds to average over (the split and the clustering).", valueName: "n"))
    var seeds: [UInt64] = [0, 1, 2]

    @Flag(help: "Compare songs by the hand-crafted features only (no embedding is computed).")
    var handcrafted = false

    @Option(help: ArgumentHelp(
        "A source's style words for the name-quality figure, as source=word|word (e.g. piano=piano); repeatable.",
        valueName: "source=words"))
    var style: [String] = []

    func run() throws {
        let prepared = Atlas.prepareEmbedding(EmbeddingRequest(choice: handcrafted ? .none : .automatic))
        if let note = prepared.note { print("note: \(note)") }
        let analysis = LibraryAnalyzer.analyze(paths: [folder], cache: try FeatureCache(path: cache),
                                               embedding: prepared.setup)
        let tracks = analysis.tracks
        let sourceOf = try ReferenceLabels.load(csv: labels ?? (folder as NSString).appendingPathComponent("labels.csv"))
        let here = FileManager.default.currentDirectoryPath
        // A song's source by its path as analysed, relative paths taken from the working folder.
        func sourceOfPath(_ path: String) -> String? {
            sourceOf[path] ?? sourceOf[URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: here)).path]
        }
        func source(_ track: TrackAnalysis) -> String? { sourceOfPath(track.path) }
        let labelled = tracks.filter { source($0) != nil }
        guard !labelled.isEmpty else { throw BenchmarkError("no analysed track of \(folder) has a label") }
        var builder = PlaylistBuilder()
        builder.space = FeatureSpace(features: prepared.setup == nil ? .handcrafted : .embedding, embedding: prepared.key)
        let sources = Set(labelled.compactMap(source)).sorted()
        print("stability on \(labelled.count) songs of \(sources.count) sources, features \(builder.space.features), "
            + "k auto, seeds \(seeds.map(String.init).joined(separator: ","))")

        var kept: [Double] = []
        var updateHome: [Double] = []
        var fullHome: [Double] = []
        var updateSeconds: [Double] = []
        var fullSeconds: [Double] = []
        var reclusterKept: [Double] = []
        var ratios: [Double] = []
        for seed in seeds {
            builder.seed = seed
            // 10 % of each source (at least one), chosen by the seed, arrive later.
            var generator = SeededRandom(seed: seed)
            var later = Set<String>()
            for name in sources {
                let members = labelled.filter { source($0) == name }.map(\.path).shuffled(using: &generator)
                later.formUnion(members.prefix(max(1, members.count / 10)))
            }
            let placed = labelled.filter { !later.contains($0.path) }
            let first = try Self.readBack(try Atlas.keptPlaylists(placed, builder: builder, previous: nil).document)
            let start = Date()
            let updated = try Atlas.keptPlaylists(labelled, builder: builder, previous: first).document
            updateSeconds.append(Date().timeIntervalSince(start))
            let fullStart = Date()
            let full = try Atlas.keptPlaylists(labelled, builder: builder, previous: nil).document
            fullSeconds.append(Date().timeIntervalSince(fullStart))

            let before = Self.playlistOfSong(first, by: \.file)
            let after = Self.playlistOfSong(updated, by: \.file)
            kept.append(Self.share(before.keys.filter { after[$0] == before[$0] }.count, of: before.count))
            updateHome.append(Self.homeShare(of: later, in: updated, source: sourceOfPath))
            fullHome.append(Self.homeShare(of: later, in: full, source: sourceOfPath))
            ratios.append(updated.changes?.drift?.distanceRatio ?? .nan)

            // A recluster of the same songs on another seed.
            var reseeded = builder
            reseeded.seed = seed + 100
            let again = try Atlas.keptPlaylists(labelled, builder: reseeded, previous: try Self.readBack(full),
                                                recluster: true).document
            let fullFiles = Self.playlistOfSong(full, by: \.file)
            let againFiles = Self.playlistOfSong(again, by: \.file)
            reclusterKept.append(Self.share(fullFiles.keys.filter { againFiles[$0] == fullFiles[$0] }.count,
                                            of: fullFiles.count))
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        print(String(format: "update of 90 %% + 10 %%: placed songs keeping their playlist file %.1f %%", 100 * mean(kept)))
        print(String(format: "new songs landing where most songs are of their source: update %.1f %%, full re-cluster %.1f %%",
                     100 * mean(updateHome), 100 * mean(fullHome)))
        print(String(format: "clustering time: update %.3f s, full run %.3f s (%.1f× faster)", mean(updateSeconds),
                     mean(fullSeconds), mean(fullSeconds) / max(mean(updateSeconds), 1e-9)))
        print(String(format: "recluster of the same songs (seed + 100): songs in a playlist of the same file %.1f %%",
                     100 * mean(reclusterKept)))
        print(String(format: "drift (new songs' distance ratio) after adding 10 %% of every source: %@ (mean %.2f)",
                     ratios.map { String(format: "%.2f", $0) }.joined(separator: ", "), mean(ratios)))

        // Name quality: how often a playlist's name carries its dominant source's style word.
        let styleWords = Dictionary(style.compactMap { entry -> (String, [String])? in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1].split(separator: "|").map { String($0).lowercased() }) : nil
        }, uniquingKeysWith: { first, _ in first })
        if !styleWords.isEmpty {
            var judged = 0
            var carried = 0
            var shown: [String] = []
            for seed in seeds {
                builder.seed = seed
                let document = try Atlas.keptPlaylists(labelled, builder: builder, previous: nil).document
                for entry in document.playlists {
                    var counts: [String: Int] = [:]
                    for track in entry.tracks { if let label = sourceOfPath(track.path) { counts[label, default: 0] += 1 } }
                    guard let top = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key,
                          let words = styleWords[top] else { continue }
                    judged += 1
                    let name = entry.name.lowercased()
                    if words.contains(where: { name.contains($0) }) { carried += 1 }
                    if seed == seeds.first { shown.append("\(top) → \(entry.name)") }
                }
            }
            print(String(format: "name quality: %d of %d playlists (%.0f %%) carry their dominant source's style word",
                         carried, judged, 100 * Self.share(carried, of: judged)) + "; seed \(seeds.first ?? 0): "
                + shown.joined(separator: "; "))
        }

        // Each source left out, then added: the drift an update measures for a style the library did not have.
        builder.seed = seeds.first ?? 0
        var sourceRatios: [(String, Double)] = []
        for name in sources {
            let without = labelled.filter { source($0) != name }
            let first = try Self.readBack(try Atlas.keptPlaylists(without, builder: builder, previous: nil).document)
            let updated = try Atlas.keptPlaylists(labelled, builder: builder, previous: first).document
            sourceRatios.append((name, updated.changes?.drift?.distanceRatio ?? .nan))
        }
        print("drift after adding a source the library did not have: " + sourceRatios.map {
            String(format: "%@ %.2f", $0.0, $0.1)
        }.joined(separator: ", "))
        let over = sourceRatios.filter { $0.1 > PlaylistUpdate.driftThreshold }.count
        let falseAlarms = ratios.filter { $0 > PlaylistUpdate.driftThreshold }.count
        print(String(format: "threshold %.2f: advises --recluster for %d of %d new sources and %d of %d 10 %% updates",
                     PlaylistUpdate.driftThreshold, over, sourceRatios.count, falseAlarms, ratios.count))
    }

    /// The document as the next run reads it back.
    static func readBack(_ document: PlaylistDocument) throws -> PlaylistDocument {
        try PlaylistDocument.parse(JSONOutput.encoder().encode(document), name: "playlists.json")
    }

    static func playlistOfSong(_ document: PlaylistDocument, by key: KeyPath<PlaylistDocument.Entry, String>)
        -> [String: String]
    {
        var result: [String: String] = [:]
        for entry in document.playlists { for track in entry.tracks where track.bridge != true { result[track.path] = entry[keyPath: key] } }
        return result
    }

    static func share(_ count: Int, of total: Int) -> Double { total == 0 ? .nan : Double(count) / Double(total) }

    /// The share of `songs` whose playlist's other songs are mostly (the plurality) of the song's own source.
    static func homeShare(of songs: Set<String>, in document: PlaylistDocument, source: (String) -> String?) -> Double {
        var home = 0
        for entry in document.playlists {
            for track in entry.tracks where songs.contains(track.path) {
                var counts: [String: Int] = [:]
                for other in entry.tracks where other.path != track.path && !songs.contains(other.path) {
                    if let label = source(other.path) { counts[label, default: 0] += 1 }
                }
                let top = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
                if let own = source(track.path), top == own { home += 1 }
            }
        }
        return share(home, of: songs.count)
    }
}

/// SplitMix64, so a seed gives the same split on every machine.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
