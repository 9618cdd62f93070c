import ArgumentParser
import Foundation

/// Options shared by every command that analyses a set of tracks.
struct AnalysisOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Analyse only this many seconds from the middle of each track (seeks there; much faster for long tracks).",
        valueName: "seconds"))
    var excerpt: Double?

    @Option(name: [.short, .long], help: "Worker threads (default: number of cores).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "No progress or summary on standard error.")
    var quiet = false

    func validate() throws {
        if let excerpt, !(excerpt > 0 && excerpt.isFinite) {
            throw ValidationError("--excerpt must be a positive number of seconds, got \(excerpt)")
        }
        if let jobs, jobs < 1 {
            throw ValidationError("--jobs must be at least 1, got \(jobs)")
        }
    }
}

/// Where a command's output goes.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "Write to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?
}
