import AudioDecoding
import Clustering
import Foundation
import Library
import SongAtlas
import Synchronization

/// `songatlas-bench library [--tracks N] [--seconds S] [FOLDER]`: a synthetic
/// library of N short tracks, analysed through the feature cache twice (first
/// run, then the cached second run), then clustered into playlists.
enum LibraryBenchmark {
    static func run(folder: String, trackCount: Int, trackSeconds: Double) throws {
        try generate(folder: folder, trackCount: trackCount, trackSeconds: trackSeconds)
        let cachePath = NSTemporaryDirectory() + "songatlas-bench-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cachePath + suffix) } }

        print("library: \(trackCount) tracks of \(trackSeconds) s in \(folder)")
        var start = Date()
        let first = LibraryAnalyzer.analyze(paths: [folder], cache: try FeatureCache(path: cachePath))
        let firstSeconds = Date().timeIntervalSince(start)
        report("first run (analyse all)", firstSeconds, first)

        start = Date()
        let second = LibraryAnalyzer.analyze(paths: [folder], cache: try FeatureCache(path: cachePath))
        let secondSeconds = Date().timeIntervalSince(start)
        report("second run (all cached)", secondSeconds, second)

        start = Date()
        let set = try PlaylistBuilder().build(second.tracks)
        print(String(format: "%-26@ %8.3f s  (%d playlists, k by silhouette over 2–12)", "playlists (k-means)",
                     Date().timeIntervalSince(start), set.playlists.count))
        print(String(format: "peak RSS: %.1f MB", Benchmark.peakResidentMegabytes()))
    }

    static func report(_ name: String, _ seconds: Double, _ analysis: LibraryAnalysis) {
        let total = analysis.analyzedCount + analysis.cachedCount
        print(String(format: "%-26@ %8.3f s  %8.0f tracks/s  (analysed %d, cached %d, failed %d)", name, seconds,
                     Double(total) / seconds, analysis.analyzedCount, analysis.cachedCount, analysis.failures.count))
    }

    /// Writes the tracks that are not there yet, on every core: seeded mixtures
    /// of tones, noise bursts and clicks, in four styles. Each file is written
    /// under a temporary name and renamed, so an interrupted run leaves no
    /// half-written track.
    static func generate(folder: String, trackCount: Int, trackSeconds: Double) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let firstError = Mutex<Error?>(nil)   // the first error met by any thread
        DispatchQueue.concurrentPerform(iterations: trackCount) { index in
            let path = (folder as NSString).appendingPathComponent(String(format: "track-%05d.flac", index))
            if FileManager.default.fileExists(atPath: path) { return }
            do {
                try AudioFileWriter.write(samples(index: index, seconds: trackSeconds), to: path + ".part", sampleRate: rate,
                                          format: .flac16, title: "Track \(index)", artist: "Bench Style \(index % 4)")
                try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
            } catch {
                firstError.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
    }

    static let rate = 22050

    static func samples(index: Int, seconds: Double) -> [Float] {
        var generator = SeededGenerator(seed: UInt64(index))
        let style = index % 4
        let base = 110 * pow(2, Double(Int(generator.nextUnit() * 24)) / 12)
        let bpm = 70 + generator.nextUnit() * 100
        let count = Int(seconds * Double(rate))
        var samples = [Float](repeating: 0, count: count)
        for sample in 0..<count {
            let time = Double(sample) / Double(rate)
            let beatPhase = (time * bpm / 60).truncatingRemainder(dividingBy: 1)
            var value = 0.0
            switch style {
            case 0: value = 0.3 * sin(2 * .pi * base * time) + 0.2 * sin(2 * .pi * base * 1.5 * time)
            case 1: value = exp(-beatPhase * 30) * (generator.nextUnit() - 0.5)
            case 2: value = 0.4 * sin(2 * .pi * base * time) * exp(-beatPhase * 6)
            default: value = 0.2 * (sin(2 * .pi * base * time) > 0 ? 1 : -1) + 0.1 * (generator.nextUnit() - 0.5)
            }
            samples[sample] = Float(value)
        }
        return samples
    }
}
