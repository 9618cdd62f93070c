import AudioDecoding
import Features
import Foundation
import Library
import SongAtlas

/// `songatlas-bench realtime [--repeats N] [--peer PYTHON] FILE_OR_FOLDER...`
/// (the default benchmark): x-realtime of decoding, loading (decode + downmix +
/// resample) and full analysis, on one core and on all cores, with librosa
/// timed on the same files in the same run (`scripts/python/librosa_bench.py`
/// under `--peer`) and the ratio printed.
enum RealtimeBenchmark {
    static func run(paths: [String], repeats: Int, peerPython: String?) throws {
        let (found, problems) = AudioFileScanner.scan(paths)
        for problem in problems { print("skipped \(problem)") }
        guard !found.isEmpty else { throw BenchmarkError("no audio files in \(paths.joined(separator: ", "))") }

        // Audio duration, from one decode.
        var audioSeconds = 0.0
        for file in found { audioSeconds += try AudioDecoder(path: file).info.durationSeconds }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("files: \(found.count), audio: \(String(format: "%.1f", audioSeconds / 60)) min, cores: \(cores), repeats: \(repeats) (medians)")

        let rawDecode = try Benchmark.median(repeats) { try rawDecodePass(found) }
        let load = try Benchmark.median(repeats) { try loadPass(found) }
        let analysis = try Benchmark.median(repeats) { try analysisPass(found) }
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

    struct PeerResult { var version: String; var fullSeconds: Double; var loadSeconds: Double }

    static func runPeer(python: String, script: String, files: [String], repeats: Int) throws -> PeerResult {
        let json = try Benchmark.runJSON(python: python, arguments: [script, "--repeats", "\(repeats)"] + files)
        guard let full = json["medianSeconds"] as? Double, let load = json["loadOnlyMedianSeconds"] as? Double else {
            throw BenchmarkError("librosa benchmark: bad output")
        }
        return PeerResult(version: json["version"] as? String ?? "?", fullSeconds: full, loadSeconds: load)
    }
}
