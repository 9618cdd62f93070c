import ArgumentParser
import Clustering
import Export
import Foundation
import SongAtlas

struct PlaylistsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playlists",
        abstract: "Turn a music folder into playlists of songs that belong together.",
        discussion: """
            Analyses every track (only new or changed ones: results are kept in a feature cache), \
            compares them by the learned embedding (musicnn, when installed: see 'songatlas model') \
            or their hand-crafted features, clusters them (k-means, or --algorithm gmm|agglomerative|hdbscan) \
            and writes one .m3u8 per playlist plus playlists.json and \
            playlists.csv to --out. Each playlist is ordered for smooth listening and named after \
            what sets it apart. The music itself is only read.

            Examples:
              songatlas playlists ~/Music
              songatlas playlists ~/Music -k 8 --seed 7 --out ~/Playlists
              songatlas playlists SampleAudio --labels SampleAudio/labels.csv --min-size 3
              songatlas playlists ~/Music --seed-song ~/Music/favourite.flac
              songatlas playlists ~/Music --algorithm gmm --bridges 0.3
              songatlas playlists ~/Music --algorithm hdbscan --min-cluster-size 8
            """)

    @Argument(help: ArgumentHelp("Music folders or files" + CueTrackPathHelp.suffix + ".", valueName: "path"))
    var paths: [String]

    @Option(name: [.short, .long], help: ArgumentHelp("Output folder.", valueName: "folder"))
    var out = "playlists"

    @Option(name: [.customShort("k"), .customLong("k")], parsing: .unconditional,
            help: ArgumentHelp("Number of playlists (1–1000), or 'auto' to choose it (2–12): by silhouette for kmeans, "
                                   + "by BIC for gmm, at the largest gap in merge heights for agglomerative.",
                               valueName: "n|auto"))
    var clusterCount = ClusterCountArgument.automatic

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "kmeans and gmm restarts (1–1000; default 10); the best is kept.", valueName: "restarts"))
    var restarts: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "kmeans and gmm iterations per restart, at most (1–100000; default 300 for kmeans, 100 EM steps for gmm).",
        valueName: "max-iterations"))
    var maxIterations: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "kmeans and gmm convergence (0–1): kmeans stops when the centres move less than this (relative to the "
            + "features' variance; default 1e-4), gmm when the mean log-likelihood changes by less (default 1e-3).",
        valueName: "tolerance"))
    var tolerance: Double?

    @Option(parsing: .unconditional, help: "Random seed (0–18446744073709551615): the same seed gives the same playlists.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Playlists smaller than this (1–1000000) join their nearest neighbour.", valueName: "n"))
    var minSize = 2

    @Option(help: ArgumentHelp(
        "Feature group weights from 0 to 1000, e.g. timbre=1,harmony=0.5,rhythm=0.5,loudness=0.5,texture=1 (the defaults).",
        valueName: "weights"))
    var weights: WeightsArgument?

    @Option(help: ArgumentHelp("Make one playlist that starts from this track.", valueName: "file"))
    var seedSong: String?

    @Flag(help: ArgumentHelp(
        "Cluster afresh instead of updating the playlists already in --out. A new playlist that holds at least half "
            + "of an old one's songs keeps its id, name and file."))
    var recluster = false

    @Flag(help: "Print a JSON summary on standard output instead of text.")
    var json = false

    @Flag(help: ArgumentHelp(
        "Also save each playlist in a running MPD as a stored playlist named 'SongAtlas - ' and the playlist's name "
            + "(see --mpd-host). Only stored playlists of that prefix are ever replaced."))
    var mpdPlaylists = false

    @OptionGroup var mpd: MPDOptions
    @OptionGroup var featureChoice: FeatureChoiceOptions
    @OptionGroup(title: "Clustering") var clusterer: ClustererOptions
    @OptionGroup var labelOptions: LabelOptions
    @OptionGroup var library: LibraryOptions
    @OptionGroup var copies: CopiesOptions
    @OptionGroup var cue: CueEntryOptions
    @OptionGroup var ownership: ReplaceForeignOptions

    func validate() throws {
        try requireNonEmptyPath(out, flag: "--out")
        try requireNonEmptyPath(seedSong, flag: "--seed-song")
        try clusterCount.validate()
        if let restarts { try requireRange(restarts, 1...1000, flag: "--restarts") }
        if let maxIterations { try requireRange(maxIterations, 1...100_000, flag: "--max-iterations") }
        if let tolerance { try requireRange(tolerance, 0...1, flag: "--tolerance") }
        try requireRange(minSize, 1...1_000_000, flag: "--min-size")
        try weights?.validate()
        // A flag is used by the chosen algorithm or refused, naming both.
        let given: [(flag: String, parameter: ClusteringParameter, isGiven: Bool)] = [
            ("-k \(clusterCount.count.map(String.init) ?? "")", .clusterCount, clusterCount.count != nil),
            ("--restarts", .restarts, restarts != nil), ("--max-iterations", .maximumIterations, maxIterations != nil),
            ("--tolerance", .tolerance, tolerance != nil),
        ]
        try clusterer.refuseUnused(given.filter(\.isGiven).map { ($0.flag, $0.parameter) })
        if clusterCount.count != nil, let chooseK = clusterer.chooseK {
            throw ValidationError("--choose-k \(chooseK.rawValue) applies to -k auto only, not a fixed -k")
        }
    }

    func run() throws {
        let quiet = library.analysis.quiet
        InterruptHandler.install()
        // An update reads the set under the folder's lock, held to the commit, so two runs on one --out take turns.
        let output = try Terminal.checked { () throws(OutputError) in
            try OutputSet(folder: out, name: "playlists", rules: ownership.rules)
        }
        if seedSong == nil {
            try Terminal.checked { () throws(OutputError) in
                try output.lock(waiting: quiet ? nil : { Terminal.printError("songatlas: \($0)") })
            }
        }
        let setAside = seedSong == nil ? Self.setAsideEdited(in: output) : []
        // Checked before the analysis, so a bad --out fails at once.
        try Terminal.checked { () throws(OutputError) in try output.check(["playlists.json", "playlists.csv"]) }
        var kept = Self.keptSet(in: output, updating: seedSong == nil)
        let setAsideLine = setAside.map { "\($0.file) was changed since SongAtlas wrote it (kept as \($0.keptAs))" }
            .joined(separator: ", ")
        if !setAside.isEmpty, kept.document == nil {
            kept.reason = setAsideLine + ", so the set was not trusted"
        }
        let previous = kept.document
        let embedding = library.embedding.prepare(quiet: quiet)
        let analysis = try library.analyzeLibrary(paths, product: "playlists", embedding: embedding, oneCopy: copies,
                                                  keepingPaths: seedSong.map { [$0] } ?? [])

        var builder = PlaylistBuilder()
        builder.clusterCount = clusterCount.count
        builder.seed = seed
        builder.minimumSize = minSize
        builder.space = featureChoice.space(embedding, weights: weights?.weights)
        if let jobs = library.analysis.jobs { builder.jobs = jobs }
        builder.clustering = clusterer.clustering(restarts: restarts, maximumIterations: maxIterations, tolerance: tolerance)
        builder.countStrategy = clusterer.chooseK

        var document: PlaylistDocument
        var dendrogram: DendrogramDocument?
        do {
            let labels = try labelOptions.load(paths: analysis.tracks.map(\.path))
            if seedSong != nil {
                let set: PlaylistSet
                (set, document) = try Atlas.playlists(analysis.tracks, builder: builder, seedSong: seedSong,
                                                      labels: labels, cancellation: InterruptHandler.cancellation)
                dendrogram = DendrogramDocument(set, tracks: analysis.tracks)
            } else {
                let made = try Atlas.keptPlaylists(
                    analysis.tracks, builder: builder, previous: kept.document, recluster: recluster,
                    unavailableFiles: kept.unavailable, reason: kept.reason, labels: labels,
                    cancellation: InterruptHandler.cancellation)
                document = made.document
                dendrogram = made.set.flatMap { DendrogramDocument($0, tracks: analysis.tracks) }
                if made.set == nil, builder.clustering.algorithm == .agglomerative, let previous = kept.document {
                    dendrogram = Self.keptDendrogram(in: output, previous: previous, updated: &document)
                }
            }
        } catch let error as PlaylistUpdate.SettingsChanged {
            Terminal.printError("songatlas: " + Self.message(for: error, folder: out))
            throw ExitCode.validationFailure
        } catch let error as PlaylistBuilder.BuildError {
            Terminal.printError("songatlas: " + Self.message(for: error))
            throw ExitCode.validationFailure
        } catch AtlasError.seedSongNotAnalysed {
            Terminal.printError("songatlas: --seed-song \(seedSong ?? "") is not among the analysed tracks")
            throw ExitCode.validationFailure
        } catch ClusteringError.cancelled {
            throw Terminal.interrupted(product: "playlists")
        } catch let error as ClusteringError {
            Terminal.printError("songatlas: --algorithm \(clusterer.algorithm.rawValue): \(error)")
            throw ExitCode.failure
        }
        var seenNotes = Set<String>()
        document.notes = document.notes.filter { seenNotes.insert($0).inserted }
        let musicRoot = self.paths.count == 1 ? self.paths[0] : nil
        try Terminal.writing(product: "playlists") {
            try PlaylistWriter.write(document, to: output, musicRoot: musicRoot, dendrogram: dendrogram,
                                     leavingAlone: Set(document.changes?.leftAlone ?? []), cueEntries: cue.cueEntries, waiting: quiet ? nil : { Terminal.printError("songatlas: \($0)") })
        }
        // A playlist file left alone is named once, by the summary (it is still part of the set's playlists.json).
        var report = output.report
        report?.keptChanged.removeAll { (document.changes?.leftAlone ?? []).contains($0) }
        Terminal.printKept(report, folder: out)

        if json {
            FileHandle.standardOutput.write(try JSONOutput.encoder().encode(document) + Data("\n".utf8))
        } else {
            print(Self.summary(document, folder: out, minimumSize: minSize))
        }
        if !setAside.isEmpty, kept.document != nil, !quiet { Terminal.printError("songatlas: note: \(setAsideLine)") }
        if !quiet { for note in document.notes { Terminal.printError("songatlas: note: \(note)") } }
        if mpd.mpd || mpdPlaylists {
            // MPDDelivery names them in SongAtlas's own namespace (MPDDelivery.storedPlaylistName).
            let stored = mpdPlaylists ? document.playlists.map {
                (name: ($0.file as NSString).deletingPathExtension,
                 songs: $0.tracks.map { MPDOptions.song(path: $0.path, cue: $0.cue) })
            } : []
            // A playlist of the earlier set that is gone leaves MPD too (by its stored name, SongAtlas's own).
            let written = Set(document.playlists.map(\.file))
            let gone = mpdPlaylists ? (previous?.playlists ?? []).map(\.file).filter { !written.contains($0) }
                .map { ($0 as NSString).deletingPathExtension } : []
            try mpd.send(queue: document.playlists.flatMap { $0.tracks.map { MPDOptions.song(path: $0.path, cue: $0.cue) } },
                         playlists: stored, removing: gone, quiet: quiet)
        }
    }

    /// The set an earlier run left in the output folder: its document when it can be trusted (SongAtlas's
    /// manifest lists `playlists.json` exactly as written), the playlist files a person changed since, and,
    /// when there is a manifest but its document cannot be trusted, why.
    static func keptSet(in output: OutputSet, updating: Bool)
        -> (document: PlaylistDocument?, unavailable: Set<String>, reason: String?)
    {
        guard updating, let commit = output.previousCommit() else { return (nil, [], nil) }
        var playlistFiles = commit.changed.filter { $0.hasSuffix(".m3u8") }
        guard commit.unchanged.contains("playlists.json") else {
            // Not trusted: every playlist file not exactly as the manifest records it is the user's, left alone.
            let present = (try? FileManager.default.contentsOfDirectory(atPath: output.folder)) ?? []
            playlistFiles.formUnion(present.filter { $0.hasSuffix(".m3u8") && !commit.unchanged.contains($0) })
            return (nil, playlistFiles, "playlists.json is not as SongAtlas wrote it, so the set was not trusted")
        }
        do {
            let document = try PlaylistDocument.read(output.path(of: "playlists.json"))
            return (document, Set(document.playlists.map(\.file)).subtracting(commit.unchanged).union(playlistFiles), nil)
        } catch {
            return (nil, playlistFiles, "\(error)")
        }
    }

    /// The tree of an agglomerative set, kept through an update (an update does not recluster, so it draws no
    /// new tree): the earlier `dendrogram.json` when it is as SongAtlas wrote it, its leaves following their
    /// playlists by id, with a note in `updated` saying the songs added since are not in it. Nil, with a note,
    /// when there was a tree but a person changed it.
    static func keptDendrogram(in output: OutputSet, previous: PlaylistDocument, updated: inout PlaylistDocument)
        -> DendrogramDocument?
    {
        guard let commit = output.previousCommit(), commit.unchanged.union(commit.changed).contains("dendrogram.json")
        else { return nil }
        let added = updated.changes?.addedSongs ?? 0
        guard commit.unchanged.contains("dendrogram.json"),
              let data = FileManager.default.contents(atPath: output.path(of: "dendrogram.json")),
              let tree = try? JSONOutput.decoder().decode(DendrogramDocument.self, from: data)
        else {
            updated.notes.append("dendrogram.json was changed since SongAtlas wrote it: an update draws no tree; "
                + "--recluster draws a new one")
            return nil
        }
        if added > 0 {
            updated.notes.append("dendrogram.json and dendrogram.svg show the \(tree.leaves.count) songs as they were "
                + "clustered; the \(added) song\(added == 1 ? "" : "s") added since \(added == 1 ? "is" : "are") not in "
                + "the tree (an update does not recluster): --recluster redraws it")
        }
        return tree.kept(from: previous, to: updated)
    }

    /// The set's own documents (`playlists.json`, `playlists.csv`) that its manifest lists but that are not as
    /// SongAtlas wrote them (edited by hand, or the manifest edited): each is moved, whole, to a free name beside
    /// it (`playlists.edited.json`), so the run can write the set again without writing over a person's file.
    /// A document the manifest does not list is another program's: it stays, and the write is refused as before.
    static func setAsideEdited(in output: OutputSet) -> [(file: String, keptAs: String)] {
        guard let commit = output.previousCommit() else { return [] }
        var moved: [(file: String, keptAs: String)] = []
        for file in ["playlists.json", "playlists.csv"] where commit.changed.contains(file) {
            var status = stat()
            guard lstat(output.path(of: file), &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            let stem = (file as NSString).deletingPathExtension, suffix = (file as NSString).pathExtension
            var keptAs = "\(stem).edited.\(suffix)"
            var number = 2
            while FileManager.default.fileExists(atPath: output.path(of: keptAs)) {
                keptAs = "\(stem).edited-\(number).\(suffix)"
                number += 1
            }
            if rename(output.path(of: file), output.path(of: keptAs)) == 0 { moved.append((file, keptAs)) }
        }
        return moved
    }

    /// The flag of each setting an update keeps.
    static func flag(for setting: PlaylistUpdate.SettingChange.Setting) -> String {
        switch setting {
        case .algorithm: return "--algorithm"
        case .clusterCount: return "-k"
        case .features: return "--features"
        case .weights: return "--weights"
        case .embeddingModel: return "--embedding"
        }
    }

    /// A refused update in the words of this command's flags.
    static func message(for error: PlaylistUpdate.SettingsChanged, folder: String) -> String {
        let changes = error.changes.map { "\(flag(for: $0.setting)) \($0.current) (the set has \($0.previous))" }
        return "\(folder)/ holds playlists made with other settings: " + changes.joined(separator: ", ")
            + ". An update keeps the settings and the playlists; to start over, run again with --recluster "
            + "(a new playlist that holds at least half of an old one's songs keeps its id, name and file)."
    }

    /// The library's error in the words of this command's flags.
    static func message(for error: PlaylistBuilder.BuildError) -> String {
        let flags = ["clusterCount": "-k", "minimumSize": "--min-size", "countStrategy": "--choose-k"]
        switch error {
        case .noTracks: return "\(error)"
        case let .tooManyClusters(k, trackCount): return "-k \(k) asks for more playlists than there are songs (\(trackCount))"
        case let .invalidParameter(name, value, requirement): return "\(flags[name] ?? name) \(requirement), got \(value)"
        }
    }

    /// What the run did to the set it found, in one line (or none for a new set).
    static func changeLine(_ changes: PlaylistDocument.Changes) -> [String] {
        func label(_ name: String) -> String {
            PlaylistUpdate.number(in: name) != nil ? String(name.prefix { $0 != " " }) : name
        }
        var lines: [String] = []
        switch changes.mode {
        case .new:
            if let reason = changes.reason { lines.append("new playlists: \(reason)") }
        case .update:
            let added = changes.added.map { "\(label($0.name)) +\($0.songs)" }.joined(separator: ", ")
            lines.append("kept \(changes.keptPlaylists) playlist\(changes.keptPlaylists == 1 ? "" : "s"): "
                + "+\(changes.addedSongs) song\(changes.addedSongs == 1 ? "" : "s")" + (added.isEmpty ? "" : " (\(added))")
                + ", −\(changes.gone) gone, \(changes.moved) moved")
            if let drift = changes.drift, drift.advisesRecluster {
                let silhouettes = drift.silhouetteBefore.flatMap { before in
                    drift.silhouetteAfter.map { String(format: ", silhouette %.3f → %.3f", before, $0) }
                } ?? ""
                lines.append(String(format: "the new songs sit %.2f× as far from their playlists' centres as the songs "
                    + "already there (over %.2f%@): --recluster would rethink the playlists", drift.distanceRatio,
                    PlaylistUpdate.driftThreshold, silhouettes))
            }
        case .recluster:
            var line = "reclustered (\(changes.reason ?? "--recluster")): \(changes.keptPlaylists) playlist"
                + "\(changes.keptPlaylists == 1 ? "" : "s") kept their id, name and file; "
                + "−\(changes.gone) gone, \(changes.moved) moved"
            // Every merged, split or renamed playlist in the order of the earlier set's files.
            for (kind, fate) in PlaylistUpdate.fatesInFileOrder(changes) {
                switch kind {
                case .merged: line += "; merged: \(fate.name) into \(fate.into.first ?? "")"
                case .split: line += "; split: \(fate.name) into \(fate.into.joined(separator: ", "))"
                case .renamed: line += "; new file for \(fate.name): \(fate.into.first ?? "")"
                }
            }
            lines.append(line)
        }
        if !changes.leftAlone.isEmpty {
            lines.append("left alone (changed, renamed or removed since SongAtlas wrote them): "
                + changes.leftAlone.joined(separator: ", "))
        }
        return lines
    }

    /// The chosen k and, on the same line, the number of playlists written after small ones merged.
    static func countLine(_ document: PlaylistDocument, minimumSize: Int) -> String {
        let how = document.kScores.isEmpty ? (document.settings?.k == "auto" ? "found" : "asked")
            : document.kScores.allSatisfy({ $0.bic != nil }) ? "by BIC" : "by silhouette"
        var line = "k=\(document.k) \(how); \(document.playlists.count) playlist\(document.playlists.count == 1 ? "" : "s") written"
        let merges = document.smallMerges ?? []
        guard !merges.isEmpty else { return line }
        let titles = Dictionary(document.playlists.flatMap { $0.tracks.map { ($0.path, $0.displayTitle) } },
                                uniquingKeysWith: { first, _ in first })
        line += ": \(merges.count) playlist\(merges.count == 1 ? "" : "s") under --min-size \(minimumSize) merged into "
            + merges.map { merge in
                let into = PlaylistUpdate.number(in: merge.into) != nil ? String(merge.into.prefix { $0 != " " }) : merge.into
                return "\(into) (song\(merge.songs.count == 1 ? "" : "s"): "
                    + merge.songs.map { titles[$0] ?? $0 }.joined(separator: ", ") + ")"
            }.joined(separator: ", ")
        return line
    }

    static func summary(_ document: PlaylistDocument, folder: String, minimumSize: Int = 2) -> String {
        var lines: [String] = []
        if let changes = document.changes { lines += changeLine(changes) }
        if document.changes?.mode == .update {
            // The number of playlists was chosen when the set was made.
        } else if !document.kScores.isEmpty, document.kScores.allSatisfy({ $0.bic != nil }) {
            lines.append("k chosen by BIC (lower is better): " + document.kScores.map {
                String(format: "k=%d %.1f", $0.k, $0.bic!)
            }.joined(separator: ", "))
        } else if !document.kScores.isEmpty {
            lines.append("k chosen by silhouette: " + document.kScores.map {
                String(format: "k=%d %.3f", $0.k, $0.silhouette)
            }.joined(separator: ", "))
        }
        if document.changes?.mode != .update { lines.append(countLine(document, minimumSize: minimumSize)) }
        lines.append("\(document.playlists.count) playlist\(document.playlists.count == 1 ? "" : "s") in \(folder)/:")
        // In file order (`01 - …`, `03 - …`, `05 - …`), as a file manager shows them: after an update or a
        // --recluster the document keeps the set's own order, which need not be the names' order.
        for playlist in document.playlists.sorted(by: { $0.name.compare($1.name, options: .numeric) == .orderedAscending }) {
            let minutes = playlist.tracks.reduce(0) { $0 + $1.durationSeconds } / 60
            lines.append(String(format: "  %@  (%d tracks, %.0f min)", playlist.name, playlist.tracks.count, minutes))
        }
        let metrics = document.metrics
        if let silhouette = metrics.silhouette, let db = metrics.daviesBouldin, let ch = metrics.calinskiHarabasz,
           let inertia = metrics.inertia {
            lines.append(String(format: "silhouette %.3f, Davies–Bouldin %.3f, Calinski–Harabasz %.1f, inertia %.1f",
                                silhouette, db, ch, inertia))
        }
        if let agreement = metrics.agreement, let count = metrics.labelledTrackCount {
            lines.append(String(
                format: "against %d labelled tracks: ARI %.3f, AMI %.3f, NMI %.3f, homogeneity %.3f, completeness %.3f, V-measure %.3f",
                count, agreement.adjustedRandIndex, agreement.adjustedMutualInformation,
                agreement.normalizedMutualInformation, agreement.homogeneity, agreement.completeness, agreement.vMeasure))
        }
        return lines.joined(separator: "\n")
    }
}
