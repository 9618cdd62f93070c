import ArgumentParser
import Export
import FilePaths
import Foundation
import Library
import SongAtlas

/// `songatlas cache`: see, list and tidy the feature cache. Never touches a music file.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "See and manage the feature cache: info, list, forget, prune, merge.",
        discussion: """
            The feature cache keeps each file's analysis (and each failure) so that no command decodes an \
            unchanged file twice. A record is a library record when a library scan made it (a folder or file \
            given to analyze, playlists, map or --library) and a seed record when the file was named only as \
            a seed of similar or an anchor of path: seed records are used as seeds again but never recommended.

            These commands change only the cache, never a music file; a path that holds anything other than a \
            SongAtlas cache is refused and left untouched. info and list only read it.

            Examples:
              songatlas cache info
              songatlas cache list ~/Music/Jazz --format csv
              songatlas cache forget ~/Music/Old
              songatlas cache prune
              songatlas cache merge shard-*.sqlite --into ~/.cache/songatlas/library.sqlite
            """,
        subcommands: [Info.self, List.self, Forget.self, Prune.self, Merge.self])

    /// `--cache PATH`, shared by the subcommands.
    struct Location: ParsableArguments {
        @Option(help: ArgumentHelp(
            "Feature cache (SQLite). Default: $XDG_CACHE_HOME/songatlas/library.sqlite, or ~/.cache/songatlas/library.sqlite.",
            valueName: "path"))
        var cache: String?

        func validate() throws { try requireNonEmptyPath(cache, flag: "--cache") }

        var path: String { cache ?? FeatureCache.defaultPath }

        /// Opens the cache, never creating one; a refusal is one line and exit status 1.
        ///
        /// - Parameter writing: open it for writing (forget, prune); fails when it cannot be written.
        func open(writing: Bool) throws -> FeatureCache {
            let cache: FeatureCache
            do {
                cache = try FeatureCache(path: path, readOnly: !writing, creating: false)
            } catch {
                Terminal.printError("songatlas: \(error)")
                throw ExitCode.failure
            }
            if let note = cache.rebuildNote { Terminal.printError("songatlas: \(note)") }
            if writing && cache.mode != .readWrite {
                for note in cache.notes { Terminal.printError("songatlas: \(note)") }
                Terminal.printError("songatlas: feature cache \(path) cannot be written; nothing was changed")
                throw ExitCode.failure
            }
            return cache
        }
    }

    /// Output format of `info` and `list`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the cache's path, size, schema, and its records by state, origin, feature version and model.")

        @OptionGroup var location: Location

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        func validate() throws {
            if format == .csv { throw ValidationError("--format csv is for 'cache list'; info gives text or json") }
        }

        func run() throws {
            let cache = try location.open(writing: false)
            let summary: CacheSummary
            do { summary = try cache.summary() } catch {
                Terminal.printError("songatlas: cannot read the feature cache \(location.path): \(error)")
                throw ExitCode.failure
            }
            print(CacheReport.info(summary, format: format), terminator: "")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the cache's records: path, state, origin, models, analysed at.",
            discussion: "With paths, only the records of those files and of the files under those folders.")

        @Argument(help: ArgumentHelp("Files or folders whose records to list (default: all).", valueName: "path"))
        var paths: [String] = []

        @OptionGroup var location: Location

        @Option(help: "Output format: text, json or csv.")
        var format: Format = .text

        func run() throws {
            let cache = try location.open(writing: false)
            var records: [CacheRecordInfo]
            do { records = try cache.records() } catch {
                Terminal.printError("songatlas: cannot read the feature cache \(location.path): \(error)")
                throw ExitCode.failure
            }
            if !paths.isEmpty {
                let keys = paths.map { PathKey.of($0) }
                records = records.filter { record in
                    keys.contains { record.path == $0 || record.path.hasPrefix($0 == "/" ? $0 : $0 + "/") }
                }
            }
            print(CacheReport.list(records, format: format), terminator: "")
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget the records of these files and of every file under these folders.",
            discussion: "The files are not touched; the next command that meets them analyses them again.")

        @Argument(help: ArgumentHelp("Files or folders (they need not exist any more).", valueName: "path"))
        var paths: [String]

        @OptionGroup var location: Location

        func validate() throws { try requireNonEmptyPaths(paths, flag: "PATH") }

        func run() throws {
            let cache = try location.open(writing: true)
            let forgotten: [String]
            do { forgotten = try cache.forget(under: paths) } catch {
                Terminal.printError("songatlas: cannot change the feature cache \(location.path): \(error)")
                throw ExitCode.failure
            }
            print("forgot \(forgotten.count) record\(forgotten.count == 1 ? "" : "s") in \(location.path)")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the records whose files are gone, and the failure records.",
            discussion: "A failed file is tried again the next time a command meets it.")

        @OptionGroup var location: Location

        func run() throws {
            let cache = try location.open(writing: true)
            let pruned: FeatureCache.Pruned
            do { pruned = try cache.prune() } catch {
                Terminal.printError("songatlas: cannot change the feature cache \(location.path): \(error)")
                throw ExitCode.failure
            }
            print("removed \(pruned.gone.count) record\(pruned.gone.count == 1 ? "" : "s") of files that are gone "
                + "and \(pruned.failures.count) failure record\(pruned.failures.count == 1 ? "" : "s") from \(location.path)")
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge shard caches (from 'analyze --shard I/N --cache FILE') into one cache.",
            discussion: """
                Every record of the shards goes into the --into cache (created if missing) in one transaction; \
                for a file and cue track the newest record is kept (its analysed-at time), across the shards \
                and what the cache already holds. The shards are only read, never changed.

                A file that is not a SongAtlas cache is refused with one line and the others merge (the exit \
                status is then 1); so is each record of another feature version or embedding model version.

                --rebase OLD=NEW rewrites the folder OLD at the start of the cached paths to NEW, component by \
                component (/music matches /music/a.flac, not /musicx/a.flac), for shards made on hosts that \
                mount the music at another place. It may be given several times; the longest OLD wins.

                Examples:
                  songatlas cache merge shard-1.sqlite shard-2.sqlite --into library.sqlite
                  songatlas cache merge shard-*.sqlite --into all.sqlite --rebase /mnt/m=/srv/m
                """)

        @Argument(help: ArgumentHelp("Shard caches to merge.", valueName: "shard"))
        var shards: [String]

        @Option(help: ArgumentHelp("The cache to merge into; created if missing.", valueName: "path"))
        var into: String

        @Option(parsing: .singleValue,
                help: ArgumentHelp("Rewrite the cached paths under the folder OLD to NEW (repeatable).",
                                   valueName: "OLD=NEW"),
                transform: { text in
                    do { return try PathRebase(parsing: text) } catch { throw ValidationError("\(error)") }
                })
        var rebase: [PathRebase] = []

        func validate() throws {
            try requireNonEmptyPath(into, flag: "--into")
            try requireNonEmptyPaths(shards, flag: "SHARD")
        }

        func run() throws {
            let cache: FeatureCache
            do {
                cache = try FeatureCache(path: into, creating: true)
            } catch {
                Terminal.printError("songatlas: \(error)")
                throw ExitCode.failure
            }
            if let note = cache.rebuildNote { Terminal.printError("songatlas: \(note)") }
            let report: CacheMergeReport
            do { report = try cache.merge(shards: shards, rebases: rebase) } catch {
                for note in cache.notes { Terminal.printError("songatlas: \(note)") }
                Terminal.printError("songatlas: cannot merge into \(into): \(error)")
                throw ExitCode.failure
            }
            for line in report.refusedFiles { Terminal.printError("songatlas: refused: \(line); not merged") }
            for line in report.refusedRecords { Terminal.printError("songatlas: refused: \(line)") }
            print("merged \(report.mergedCount) record\(report.mergedCount == 1 ? "" : "s") from \(report.shardCount) "
                + "shard\(report.shardCount == 1 ? "" : "s") into \(into) (\(report.newerKeptCount) newer kept, "
                + "\(report.refusedCount) refused)")
            if !report.refusedFiles.isEmpty { throw ExitCode.failure }
        }
    }
}
