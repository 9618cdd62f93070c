import Foundation
import SongAtlas
import SyntheticAudio

/// `songatlas-bench`: x-realtime of decoding and full analysis, on one core
/// and on all cores, with librosa timed on the same files in the same run.
///
///     swift run -c release songatlas-bench [--repeats N] [--peer PYTHON] FILE...
///
/// Prints medians over `--repeats` passes (default 3). With `--peer`, runs
/// `scripts/librosa_bench.py` under that interpreter and prints the ratio.
/// A benchmark, never a test: nothing here asserts a time.
@main
struct Benchmark {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "kmeans" {
            arguments.removeFirst()
            var peer: String?
            var repeats = 3
            var path: String?
            while !arguments.isEmpty {
                let argument = arguments.removeFirst()
                switch argument {
                case "--peer": peer = arguments.removeFirst()
                case "--repeats": repeats = Int(arguments.removeFirst()) ?? 3
                default: path = argument
                }
            }
            try KMeansBenchmark.run(matrixPath: path ?? "/tmp/songatlas-kmeans-100000x40.f32", rows: 100_000,
                                    columns: 40, repeats: repeats, peerPython: peer)
            return
        }
        if arguments.first == "som" {
            arguments.removeFirst()
            var peer: String?
            var repeats = 3
            var path = NSTemporaryDirectory() + "songatlas-som-10000x40.f32"
            while !arguments.isEmpty {
                let argument = arguments.removeFirst()
                switch argument {
                case "--peer": peer = arguments.removeFirst()
                case "--repeats": repeats = Int(arguments.removeFirst()) ?? 3
                default: path = argument
                }
            }
            try SOMBenchmark.run(matrixPath: path, repeats: repeats, peerPython: peer)
            return
        }
        if arguments.first == "hostile-corpus" {
            // Not a benchmark: writes the hostile-input corpus (scripts/make-hostile-corpus).
            arguments.removeFirst()
            let tenHours = arguments.contains("--ten-hour-silence")
            guard let folder = arguments.first(where: { !$0.hasPrefix("--") }) else {
                print("usage: songatlas-bench hostile-corpus [--ten-hour-silence] FOLDER")
                exit(2)
            }
            let entries = try HostileCorpus.write(in: folder, tenHourSilence: tenHours)
            for entry in entries {
                let outcome: String
                switch entry.expectation {
                case .analysed: outcome = "analysed"
                case let .reported(text): outcome = "reported (\"\(text)\")"
                case .unreadable: outcome = "reported when not root (unreadable), analysed as root"
                case .analysedOrReported: outcome = "analysed or reported"
                }
                print("\(entry.name.replacingOccurrences(of: "\n", with: "\\n")): \(outcome)")
            }
            return
        }
        if let mode = arguments.first, mode == "library" || mode == "scale" {
            arguments.removeFirst()
            var tracks = mode == "scale" ? 10_000 : 1000
            var seconds = 5.0
            var repeats = 3
            var folder = NSTemporaryDirectory() + "songatlas-bench-\(mode)"
            while !arguments.isEmpty {
                let argument = arguments.removeFirst()
                switch argument {
                case "--tracks": tracks = Int(arguments.removeFirst()) ?? tracks
                case "--seconds": seconds = Double(arguments.removeFirst()) ?? seconds
                case "--repeats": repeats = Int(arguments.removeFirst()) ?? repeats
                default: folder = argument
                }
            }
            if mode == "scale" {
                try ScaleBenchmark.run(folder: folder, trackCount: tracks, trackSeconds: seconds, repeats: repeats)
            } else {
                try LibraryBenchmark.run(folder: folder, trackCount: tracks, trackSeconds: seconds)
            }
            return
        }
        var repeats = 3
        var peerPython: String?
        var files: [String] = []
        while !arguments.isEmpty {
            let argument = arguments.removeFirst()
            switch argument {
            case "--repeats": repeats = Int(arguments.removeFirst()) ?? 3
            case "--peer": peerPython = arguments.removeFirst()
            case "-h", "--help":
                print("usage: songatlas-bench [--repeats N] [--peer PYTHON] FILE_OR_FOLDER...")
                print("       songatlas-bench kmeans [--repeats N] [--peer PYTHON] [MATRIX.f32]")
                print("       songatlas-bench library [--tracks N] [--seconds S] [FOLDER]")
                print("       songatlas-bench scale [--tracks N] [--seconds S] [--repeats N] [FOLDER]")
                print("       songatlas-bench hostile-corpus [--ten-hour-silence] FOLDER")
                print("       songatlas-bench som [--repeats N] [--peer PYTHON] [MATRIX.f32]")
                return
            default: files.append(argument)
            }
        }
        let (found, problems) = AudioFileScanner.scan(files)
        for problem in problems { print("skipped \(problem)") }
        guard !found.isEmpty else {
            print("songatlas-bench: no audio files given")
            exit(2)
        }

        // Audio duration, from one decode.
        var audioSeconds = 0.0
        for file in found { audioSeconds += try AudioDecoder(path: file).info.durationSeconds }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("files: \(found.count), audio: \(String(format: "%.1f", audioSeconds / 60)) min, cores: \(cores), repeats: \(repeats) (medians)")

        let rawDecode = try median(repeats) { try rawDecodePass(found) }
        let load = try median(repeats) { try loadPass(found) }
        let analysis = try median(repeats) { try analysisPass(found) }
        let parallel = median(repeats) {
            let start = Date()
            let results = BatchAnalyzer.analyze(found, jobs: cores)
            precondition(results.allSatisfy { if case .success = $0 { true } else { false } })
            return Date().timeIntervalSince(start)
        }

        func row(_ name: String, _ seconds: Double) {
            print(name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%8.3f s %9.0f x realtime", seconds, audioSeconds / seconds))
        }
        print("")
        row("decode only (libsndfile, 1 core)", rawDecode)
        row("decode + downmix + resample (1 core)", load)
        row("full analysis (1 core)", analysis)
        row("full analysis (\(cores) cores, files in parallel)", parallel)
        print(String(format: "scaling on %d cores: %.2fx", cores, analysis / parallel))
        print(String(format: "peak RSS: %.1f MB", peakResidentMegabytes()))

        if let peerPython {
            let script = repositoryFile("scripts/librosa_bench.py")
            let peer = try runPeer(python: peerPython, script: script, files: found, repeats: repeats)
            print("")
            row("librosa \(peer.version) full (1 thread)", peer.fullSeconds)
            row("librosa \(peer.version) load only (1 thread)", peer.loadSeconds)
            print(String(format: "SongAtlas / librosa, full analysis, 1 core: %.1fx", peer.fullSeconds / analysis))
            print(String(format: "SongAtlas / librosa, load only, 1 core:     %.1fx", peer.loadSeconds / load))
        }
    }

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
        times.sort()
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }

    static func rawDecodePass(_ files: [String]) throws -> Double {
        let start = Date()
        for file in files {
            // Resampling to the file's own rate and channel mean: the decoder's cheapest path.
            let rate = try AudioDecoder(path: file).info.sampleRate
            let decoder = try AudioDecoder(path: file, options: DecodeOptions(outputSampleRate: rate))
            try decoder.decode { _ in }
        }
        return Date().timeIntervalSince(start)
    }

    static func loadPass(_ files: [String]) throws -> Double {
        let start = Date()
        for file in files { try AudioDecoder(path: file).decode { _ in } }
        return Date().timeIntervalSince(start)
    }

    static func analysisPass(_ files: [String]) throws -> Double {
        let extractor = FeatureExtractor()
        let start = Date()
        for file in files { _ = try extractor.summarize(path: file) }
        return Date().timeIntervalSince(start)
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    struct PeerResult { var version: String; var fullSeconds: Double; var loadSeconds: Double }

    static func runPeer(python: String, script: String, files: [String], repeats: Int) throws -> PeerResult {
        let json = try runJSON(python: python, arguments: [script, "--repeats", "\(repeats)"] + files)
        guard let full = json["medianSeconds"] as? Double, let load = json["loadOnlyMedianSeconds"] as? Double else {
            throw BenchmarkError("librosa benchmark: bad output")
        }
        return PeerResult(version: json["version"] as? String ?? "?", fullSeconds: full, loadSeconds: load)
    }
}
