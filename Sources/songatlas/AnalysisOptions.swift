import ArgumentParser
import AudioDecoding
import Export
import FilePaths
import Foundation
import Library
import SongAtlas

/// Options shared by every command that analyses a set of tracks.
struct AnalysisOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Analyse only this many seconds (up to 1000000) from the middle of each track (seeks there; much faster for long tracks; default: the whole track).",
        valueName: "seconds"))
    var excerpt: Double?

    @OptionGroup var timeLimit: TimeLimitOptions

    @Option(name: [.short, .long], parsing: .unconditional, help: "Worker threads, 1–256 (default: number of cores).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "No progress or summary on standard error.")
    var quiet = false

    @Flag(help: ArgumentHelp(
        "Take every audio file as one song: read no cue sheet (.cue files beside album images, or CUESHEET tags). "
            + "Default: each TRACK of a sheet is one song."))
    var ignoreCue = false

    @Flag(name: [.short, .long], help: "Also list, one per line, the files skipped as not audio (the summary counts them by extension).")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("give either --quiet or --verbose, not both") }
        if let excerpt { try requirePositiveSeconds(excerpt, maximum: DecodeOptions.maximumExcerptSeconds, flag: "--excerpt") }
        if let jobs { try requireRange(jobs, 1...256, flag: "--jobs") }
    }
}

/// The per-file time limit.
struct TimeLimitOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Give up on a file after this many seconds of work (up to 1000000) and report it as an error (0: no limit).",
        valueName: "seconds"))
    var fileTimeLimit = 600.0

    func validate() throws {
        try requireRange(fileTimeLimit, 0...1_000_000, flag: "--file-time-limit")
    }

    /// The limit to pass to the library; nil for none.
    var seconds: Double? { fileTimeLimit > 0 ? fileTimeLimit : nil }
}

/// Where a command's output goes.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "Write to this file (atomically; '-' is standard output; default: standard output).", valueName: "file"))
    var output: String?

    @OptionGroup var ownership: ReplaceForeignOptions

    func validate() throws { try requireNonEmptyPath(output, flag: "--output") }

    /// Where the output goes, checked now so that a bad path fails before the work.
    func destination() throws -> OutputDestination { try Terminal.destination(output, rules: ownership.rules) }
}

/// `--cache PATH` and `--no-cache`: which feature cache a command reads and fills.
struct CacheOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Feature cache (SQLite). Default: $XDG_CACHE_HOME/songatlas/library.sqlite, or ~/.cache/songatlas/library.sqlite.",
        valueName: "path"))
    var cache: String?

    @Flag(help: "Do not read or write the feature cache.")
    var noCache = false

    func validate() throws { try requireNonEmptyPath(cache, flag: "--cache") }

    /// The feature cache `--cache` names (or the default one), nil with `--no-cache`; a refused
    /// cache is reported (always) and the run goes on without one.
    func openCache() -> FeatureCache? {
        guard !noCache else { return nil }
        let opened = Atlas.openCache(at: cache ?? FeatureCache.defaultPath)
        // Printed even with --quiet: the cache the user named is not being used.
        if let refusal = opened.refusal {
            let hint = (refusal as? CacheError)?.reason.isNotACache == true ? "; choose another --cache path" : ""
            Terminal.printError("songatlas: \(refusal)\(hint). Going on without a cache.")
        }
        return opened.cache
    }
}

/// Options of commands that work on a whole library through the feature cache.
struct LibraryOptions: ParsableArguments {
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var embedding: EmbeddingOptions
    @OptionGroup var cacheOptions: CacheOptions

    /// `--cache`.
    var cache: String? { cacheOptions.cache }
    /// `--no-cache`.
    var noCache: Bool { cacheOptions.noCache }

    /// Analyses `paths` through the feature cache, as `playlists` and `map` do:
    /// installs the Ctrl-C handler, reports a refused cache and cache notes
    /// (always), skipped files and a summary line (unless quiet), and exits
    /// with 130 when interrupted or 1 when nothing could be analysed. `product` names what would have been
    /// written ("playlists", "map") in those messages. `embedding` is the model to run as well
    /// (``EmbeddingOptions/prepare(quiet:)``). With `oneCopy`, the tracks are one copy of each recording
    /// (``CopiesOptions/oneCopy(_:keeping:keepingPaths:quiet:)``, keeping `keepingPaths`).
    func analyzeLibrary(_ paths: [String], product: String, embedding: PreparedEmbedding,
                        oneCopy copies: CopiesOptions? = nil, keepingPaths: [String] = []) throws -> LibraryAnalysis {
        InterruptHandler.install()
        return try analyzeLibrary(paths, product: product, embedding: embedding, cache: openCache(), oneCopy: copies,
                                  keepingPaths: keepingPaths)
    }

    /// The feature cache `--cache` names (or the default one), nil with `--no-cache` (``CacheOptions/openCache()``).
    func openCache() -> FeatureCache? { cacheOptions.openCache() }

    /// ``analyzeLibrary(_:product:embedding:)`` through a cache already open (``openCache()``).
    func analyzeLibrary(_ paths: [String], product: String, embedding: PreparedEmbedding,
                        cache: FeatureCache?, oneCopy copies: CopiesOptions? = nil,
                        keepingPaths: [String] = []) throws -> LibraryAnalysis {
        let quiet = analysis.quiet
        InterruptHandler.install()
        InterruptHandler.keptNote = "no \(product) written; files analysed so far are kept in the cache"
        var library = Atlas.analyzeLibrary(
            paths: paths, cache: cache, excerptSeconds: analysis.excerpt, timeLimitSeconds: analysis.timeLimit.seconds,
            embedding: embedding.setup, jobs: analysis.jobs, progress: Terminal.progressReporter(quiet: quiet),
            cancellation: InterruptHandler.cancellation, readCueSheets: !analysis.ignoreCue)
        if library.interrupted {
            Terminal.printError("songatlas: interrupted: \(library.analyzedCount) files analysed and kept in the cache; "
                + "no \(product) written. Run the same command again to go on.")
            throw ExitCode(InterruptHandler.exitStatus)
        }
        for note in library.cacheNotes { Terminal.printError("songatlas: \(note)") }   // even with --quiet
        for note in library.notes { Terminal.printError("songatlas: note: \(note)") }
        if !quiet {
            for problem in library.sheetProblems { Terminal.printError("songatlas: \(problem)") }
            for failure in library.failures { Terminal.printError("songatlas: skipped \(RawPath.display(failure.path)): \(failure.error)") }
            Terminal.printOtherFiles(library.otherFiles, verbose: analysis.verbose)
            Terminal.printError("songatlas: analysed \(library.analyzedCount), cached \(library.cachedCount), "
                + (library.embeddedCount > 0 ? "embedding computed for \(library.embeddedCount) cached, " : "")
                + "failed \(library.failures.count)"
                + (library.removedCount > 0 ? ", dropped \(library.removedCount) gone from the cache" : "")
                + (library.otherFiles.summary().map { ", " + $0 } ?? ""))
        }
        guard !library.tracks.isEmpty else {
            Terminal.printError("songatlas: no tracks could be analysed; no \(product) written")
            throw ExitCode.failure
        }
        if let copies { library.tracks = copies.oneCopy(library.tracks, keepingPaths: keepingPaths, quiet: quiet) }
        return library
    }
}

/// Reference labels for scoring clusters.
struct LabelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Reference labels: a CSV of path,label (paths relative to the CSV's folder).",
                               valueName: "file.csv"))
    var labels: String?

    @Flag(help: "Use each track's folder name as its reference label.")
    var labelsFromFolders = false

    func validate() throws {
        try requireNonEmptyPath(labels, flag: "--labels")
        if labels != nil && labelsFromFolders {
            throw ValidationError("give either --labels or --labels-from-folders, not both")
        }
    }

    /// The labels, keyed by absolute path; nil when none were asked for.
    func load(paths: [String]) throws -> [String: String]? {
        if let labels { return try ReferenceLabels.load(csv: labels) }
        if labelsFromFolders { return ReferenceLabels.fromFolders(paths) }
        return nil
    }
}

/// `--keep-copies`: whether a command works on one copy of each recording (the default) or on every file.
///
/// Not `similar`'s `--keep-duplicates`, which keeps the songs that only sound or are tagged alike
/// (a remaster, a live take): those are different recordings; these are files of one recording.
struct CopiesOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Use every copy of a recording. Default: only the copy 'songatlas duplicates' keeps (a song named on the "
            + "command line is kept in place of its other copies)."))
    var keepCopies = false

    /// `tracks` with one copy of each recording (``Atlas/oneCopy(_:keeping:keepingPaths:)``), or all of them with
    /// `--keep-copies`; says how many copies were set aside on standard error unless `quiet`.
    func oneCopy(_ tracks: [TrackAnalysis], keeping songs: [TrackAnalysis] = [], keepingPaths: [String] = [],
                 quiet: Bool) -> [TrackAnalysis] {
        guard !keepCopies else { return tracks }
        let library = Atlas.oneCopy(tracks, keeping: songs, keepingPaths: keepingPaths)
        if !quiet, let summary = library.summary { Terminal.printError("songatlas: \(summary)") }
        return library.tracks
    }
}
