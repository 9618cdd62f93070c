import ArgumentParser
import Foundation
import SongAtlas

/// `songatlas-bench`: SongAtlas's benchmarks, each printing x-realtime figures
/// or wall times beside its peer's (librosa, scikit-learn, MiniSom) from the
/// same run. `scripts/bench` runs them all; `songatlas-bench help SUBCOMMAND`
/// tells what one measures.
///
///     swift run -c release songatlas-bench [realtime] [--repeats N] [--peer PYTHON] FILE...
///     swift run -c release songatlas-bench kmeans|som|library|scale|clusterers ...
///
/// A benchmark, never a test: nothing here asserts a time.
@main
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "songatlas-bench",
        abstract: "SongAtlas's benchmarks, each beside its peer. Run on purpose; nothing here asserts a time.",
        discussion: "scripts/bench runs every benchmark on the real-music corpus with the pinned peers.",
        subcommands: [RealtimeCommand.self, KMeansCommand.self, SOMCommand.self, LibraryCommand.self,
                      ScaleCommand.self, ClusterersCommand.self, DecodeCommand.self, SimilarCommand.self,
                      EmbeddingCommand.self, EmbeddingRSSProbe.self, EmbeddingPatchProbe.self, EmbeddingBudgetCommand.self, AnalysisProbe.self,
                      SegmentsCommand.self, StabilityCommand.self, FingerprintCommand.self, ClusteringScaleCommand.self],
        defaultSubcommand: RealtimeCommand.self
    )

    /// The median of `values` (the mean of the two middle ones for an even count).
    static func medianOf(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// A file of the repository, found from this source file.
    static func repositoryFile(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(relative).path
    }

    /// Runs a Python script and parses the JSON object it prints.
    static func runJSON(python: String, arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchmarkError("\(arguments.first ?? python) failed (status \(process.terminationStatus))")
        }
        return json
    }

    /// Median wall time of `repeats` runs of `body`, which returns its own time.
    static func median(_ repeats: Int, _ body: () throws -> Double) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<max(repeats, 1) { times.append(try body()) }
        return medianOf(times)
    }

    /// This process's peak resident set size so far, in megabytes.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
