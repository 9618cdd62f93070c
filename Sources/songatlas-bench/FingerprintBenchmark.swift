import ArgumentParser
import AudioDecoding
import Features
import Foundation

/// `songatlas-bench fingerprint [--repeats N] [FILE...]`: what the Chromaprint fingerprint
/// adds to a track's analysis.
///
/// For each file (default: the FLAC files of SampleAudio), on one thread, medians of
/// `--repeats` passes of the thread's CPU time (not wall time, which other processes on a
/// loaded machine stretch), run in turn so that load on the machine falls on all alike:
/// - analysis: ``FeatureExtractor/summarize(path:decodeOptions:)`` (decode and hand-crafted summary);
/// - with fingerprint: the same decode also feeding a ``Fingerprinter``
///   (``FeatureExtractor/summarize(path:decodeOptions:embedding:fingerprinter:)``);
/// - Chromaprint alone: the decoded samples, already in memory, fed to the fingerprinter.
///
/// The cost ratio is Chromaprint alone over the analysis (the aim is at most 5 %); the
/// difference of the first two is printed beside it as a check.
struct FingerprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Cost of the Chromaprint fingerprint against a track's analysis (aim: at most 5 %).")

    @OptionGroup var repeatOptions: RepeatOptions

    @Argument(help: ArgumentHelp("Audio files (default: SampleAudio/*.flac).", valueName: "file"))
    var files: [String] = []

    func run() throws {
        var paths = files
        if paths.isEmpty {
            let folder = Benchmark.repositoryFile("SampleAudio")
            paths = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".flac") }.sorted()
                .map { folder + "/" + $0 }
        }
        guard let fingerprinter = Fingerprinter() else {
            throw ValidationError("Chromaprint could not make a context")
        }
        let extractor = FeatureExtractor()
        let repeats = repeatOptions.repeats
        print("Chromaprint \(Fingerprinter.chromaprintVersion); \(repeats) repeats (medians); one thread; "
            + "fingerprint of at most \(Int(AudioFingerprint.computedSeconds)) s; CPU seconds of this thread")
        print("")
        print("file".padding(toLength: 22, withPad: " ", startingAt: 0)
            + "  audio s  analysis s  with fp s  Chromaprint s  ratio")
        var totals = (analysis: 0.0, with: 0.0, chromaprint: 0.0)
        for path in paths {
            var samples: [Float] = []
            let decoder = try AudioDecoder(path: path, options: DecodeOptions())
            try decoder.decode { samples.append(contentsOf: $0) }
            var analysis: [Double] = [], with: [Double] = [], alone: [Double] = []
            for _ in 0..<repeats {
                var start = Self.threadSeconds()
                _ = try extractor.summarize(path: path)
                analysis.append(Self.threadSeconds() - start)
                start = Self.threadSeconds()
                _ = try extractor.summarize(path: path, embedding: nil, fingerprinter: fingerprinter)
                with.append(Self.threadSeconds() - start)
                start = Self.threadSeconds()
                fingerprinter.start(sampleRate: AnalysisRate.sampleRate)
                var offset = 0
                samples.withUnsafeBufferPointer { all in
                    while offset < all.count {
                        let count = min(65536, all.count - offset)
                        fingerprinter.add(UnsafeBufferPointer(rebasing: all[offset..<(offset + count)]))
                        offset += count
                    }
                }
                _ = fingerprinter.finish()
                alone.append(Self.threadSeconds() - start)
            }
            let row = (Benchmark.medianOf(analysis), Benchmark.medianOf(with), Benchmark.medianOf(alone))
            totals.analysis += row.0
            totals.with += row.1
            totals.chromaprint += row.2
            print(((path as NSString).lastPathComponent).padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: " %8.1f %11.3f %10.3f %14.4f %5.1f %%",
                         Double(samples.count) / Double(AnalysisRate.sampleRate), row.0, row.1, row.2, 100 * row.2 / row.0))
        }
        print("")
        print(String(format: "all %d files: Chromaprint %.3f s of %.3f s analysis = %.1f %% "
            + "(with-fingerprint run minus analysis: %.1f %%)", paths.count, totals.chromaprint, totals.analysis,
            100 * totals.chromaprint / totals.analysis, 100 * (totals.with - totals.analysis) / totals.analysis))
    }

    /// CPU seconds this thread has used (`CLOCK_THREAD_CPUTIME_ID`).
    static func threadSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
