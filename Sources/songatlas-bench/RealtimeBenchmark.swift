import AudioDecoding
import Features
import Foundation
import Library
import SongAtlas

/// `songatlas-bench realtime [--repeats N] [--peer PYTHON] [--bliss PYTHON] [--models DIR] FILE_OR_FOLDER...`
/// (the default benchmark): x-realtime of decoding, loading (decode + downmix +
/// resample), the hand-crafted analysis and the default analysis (with the
/// MTT embedding, when the model is installed), on one core and on all cores,
/// with librosa (`scripts/python/librosa_bench.py` under `--peer`) and bliss-rs
/// (`scripts/python/bliss_bench.py` under `--bliss`, pinned to one core) timed
/// on the same files in the same run and the ratios printed.
enum RealtimeBenchmark {
    static func run(paths: [String], repeats: Int, peerPython: String?, blissPython: String? = nil,
                    models: ModelStore? = nil) throws {
        let (found, problems) = AudioFileScanner.scan(paths)
        for problem in problems { print("skipped \(problem)") }
        guard !found.isEmpty else { throw BenchmarkError("no audio files in \(paths.joined(separator: ", "))") }

        // Audio duration, from one decode.
        var audioSeconds = 0.0
        for file in found { audioSeconds += try AudioDecoder(path: file).info.durationSeconds }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("files: \(found.count), audio: \(String(format: "%.1f", audioSeconds / 60)) min, cores: \(cores), repeats: \(repeats) (medians)")
        print("load average at the start: \(Self.loadAverage())")
        // The default analysis's embedding (MTT, default patch budget), when the model is installed.
        let embedding = try models.flatMap { store in
            store.isInstalled(.mtt) ? EmbeddingExtractor(weights: try store.loadWeights(.mtt)) : nil
        }

        let rawDecode = try Benchmark.median(repeats) { try rawDecodePass(found) }
        let load = try Benchmark.median(repeats) { try loadPass(found) }
        let analysis = try Benchmark.median(repeats) { try analysisPass(found) }
        let defaultAnalysis = try embedding.map { embedding in
            try Benchmark.median(repeats) { try analysisPass(found, embedding: embedding) }
        }
        let parallel = Benchmark.median(repeats) {
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
        if let defaultAnalysis, let embedding {
            row("default analysis, MTT \(embedding.patchBudget.description) patches (1 core)", defaultAnalysis)
        } else {
            print("default analysis with the embedding: skipped (no MTT model installed)")
        }
        row("full analysis (\(cores) cores, files in parallel)", parallel)
        print(String(format: "scaling on %d cores: %.2fx", cores, analysis / parallel))
        print(String(format: "peak RSS: %.1f MB", Benchmark.peakResidentMegabytes()))

        if let peerPython {
            let script = Benchmark.repositoryFile("scripts/python/librosa_bench.py")
            let peer = try runPeer(python: peerPython, script: script, files: found, repeats: repeats)
            print("")
            row("librosa \(peer.version) full (1 thread)", peer.fullSeconds)
            row("librosa \(peer.version) load only (1 thread)", peer.loadSeconds)
            print(String(format: "SongAtlas / librosa, full analysis, 1 core: %.1fx", peer.fullSeconds / analysis))
            print(String(format: "SongAtlas / librosa, load only, 1 core:     %.1fx", peer.loadSeconds / load))
        }
        if let blissPython {
            let script = Benchmark.repositoryFile("scripts/python/bliss_bench.py")
            let json = try Benchmark.runJSON(python: blissPython, arguments: [script, "--repeats", "\(repeats)"] + found)
            guard let seconds = json["medianSeconds"] as? Double else { throw BenchmarkError("bliss benchmark: bad output") }
            print("")
            row("bliss-rs \(json["version"] as? String ?? "?") (pinned to 1 core)", seconds)
            print(String(format: "SongAtlas / bliss-rs, hand-crafted analysis, 1 core: %.2fx", seconds / analysis))
            if let defaultAnalysis {
                print(String(format: "SongAtlas / bliss-rs, default analysis (embedding), 1 core: %.2fx",
                             seconds / defaultAnalysis))
            }
        }
        print("")
        print("issue 25 targets (one core): hand-crafted \(Self.verdict(audioSeconds / analysis, atLeast: 550))"
            + (defaultAnalysis.map { ", default \(Self.verdict(audioSeconds / $0, atLeast: 300))" } ?? ""))
        print("load average at the end: \(Self.loadAverage())")
    }

    /// The 1-, 5- and 15-minute load averages from /proc/loadavg, or "?".
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
            .map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
    }

    /// `value` x realtime with whether it meets `target`, e.g. "612x realtime (target 550: met)".
    static func verdict(_ value: Double, atLeast target: Double) -> String {
        String(format: "%.0fx realtime (target %.0f: ", value, target) + (value >= target ? "met)" : "not met)")
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

    /// One pass of the analysis over `files`: the hand-crafted path, or with `embedding` the default analysis.
    static func analysisPass(_ files: [String], embedding: EmbeddingExtractor? = nil) throws -> Double {
        let extractor = FeatureExtractor()
        let start = Date()
        for file in files { _ = try extractor.summarize(path: file, embedding: embedding) }
        return Date().timeIntervalSince(start)
    }

    struct PeerResult { var version: String; var fullSeconds: Double; var loadSeconds: Double }

    static func runPeer(python: String, script: String, files: [String], repeats: Int) throws -> PeerResult {
        let json = try Benchmark.runJSON(python: python, arguments: [script, "--repeats", "\(repeats)"] + files)
        guard let full = json["medianSeconds"] as? Double, let load = json["loadOnlyMedianSeconds"] as? Double else {
            throw BenchmarkError("librosa benchmark: bad output")
        }
        return PeerResult(version: json["version"] as? String ?? "?", fullSeconds: full, loadSeconds: load)
    }
}
