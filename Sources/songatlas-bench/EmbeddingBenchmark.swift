import ArgumentParser
import AudioDecoding
import Features
import Foundation

/// `songatlas-bench embedding [--repeats N] [--peer TFPYTHON] [--models DIR] FILE`:
/// the musicnn embedding's cost, beside TensorFlow 2.15 and the hand-crafted analysis.
struct EmbeddingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedding",
        abstract: "musicnn embedding: ms per patch beside TensorFlow, x-realtime, scaling and peak RSS.",
        discussion: """
            FILE should be a 3-5 minute 44.1 kHz stereo track. Prints, on one core: ms per patch \
            (one at a time and batched); with --peer (the python of scripts/tf-env), TensorFlow 2.15 \
            on the same patches pinned to core 0 (taskset -c 0) and the ratio; full analysis \
            x-realtime with and without the embedding (default patch budget and every patch); the \
            scaling on all cores (the file analysed 4 times, files in parallel); and the peak RSS of \
            a process analysing with and without the embedding (2 workers). The models come from \
            --models DIR or the default models directory.
            """)

    @OptionGroup var repeatOptions: RepeatOptions

    @Option(help: ArgumentHelp("Python of scripts/tf-env; TensorFlow is timed beside SongAtlas.", valueName: "PYTHON"))
    var peer: String?

    @Option(help: ArgumentHelp("The models directory (default: as songatlas model).", valueName: "dir"))
    var models: String?

    @Option(help: ArgumentHelp("Patches timed per pass.", valueName: "N"))
    var patches = 8

    @Argument(help: ArgumentHelp("A 3-5 minute 44.1 kHz stereo audio file.", valueName: "file"))
    var file: String

    func validate() throws {
        guard patches >= 1 else { throw ValidationError("--patches must be at least 1, got \(patches)") }
        if let peer, !FileManager.default.isExecutableFile(atPath: peer) {
            throw ValidationError("--peer \(peer) is not an executable file")
        }
    }

    var store: ModelStore {
        ModelStore(directory: models.map { URL(fileURLWithPath: $0) }
            ?? ModelStore.defaultDirectory(environment: ProcessInfo.processInfo.environment))
    }

    func run() throws {
        try EmbeddingBenchmark(store: store, repeats: repeatOptions.repeats, patchCount: patches).run(file: file, peer: peer)
    }
}

/// Hidden helper: analyses FILE in this process with 2 workers, with or without
/// the embedding, and prints the peak RSS in MB (for `embedding`'s RSS figures).
struct EmbeddingRSSProbe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "embedding-rss-probe", shouldDisplay: false)

    @Option var models: String
    @Flag var embedding = false
    @Argument var file: String

    func run() throws {
        let weights = embedding ? try ModelStore(directory: URL(fileURLWithPath: models)).loadWeights(.mtt) : nil
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let features = FeatureExtractor()
            let extractor = weights.map { EmbeddingExtractor(weights: $0) }
            _ = try! features.summarize(path: file, embedding: extractor)
        }
        // VmHWM, not getrusage: a child's ru_maxrss starts from its parent's peak.
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        print(String(format: "%.1f", kilobytes / 1024))
    }
}

struct EmbeddingBenchmark {
    /// Wall and CPU seconds (this process, all threads) of `body`.
    static func timed(_ body: () -> Void) -> (wall: Double, cpu: Double) {
        func cpuNow() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        let wallStart = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuNow()
        body()
        return (Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9, cpuNow() - cpuStart)
    }

    let store: ModelStore
    let repeats: Int
    let patchCount: Int

    func row(_ name: String, _ value: String) {
        print(name.padding(toLength: 52, withPad: " ", startingAt: 0) + value)
    }

    func run(file: String, peer: String?) throws {
        let weights = try store.loadWeights(.mtt)
        let info = try AudioDecoder(path: file).info
        let seconds = info.durationSeconds
        let loadAverage = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
            .map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
        print("load average: \(loadAverage) (other processes on the machine disturb wall times; CPU times less so)")
        print("file: \(file) (\(String(format: "%.1f", seconds)) s, \(info.sampleRate) Hz, \(info.channelCount) ch); "
            + "cores: \(ProcessInfo.processInfo.activeProcessorCount); repeats: \(repeats) (medians); model: musicnn-mtt")

        // The patches: the file's first whole log-mel patches.
        let extractor = EmbeddingExtractor(weights: weights, patchBudget: .all)
        let samples = try AudioDecoder(path: file, options: DecodeOptions(excerptSeconds: 3.0 * Double(patchCount) + 2)).decodeAll()
        let rows = extractor.logMelSpectrogram(samples22050: samples)
        let patches = (0..<min(patchCount, rows.count / 187)).map { index in Array(rows[(index * 187)..<((index + 1) * 187)].joined()) }
        guard !patches.isEmpty else { throw BenchmarkError("\(file) is shorter than one patch") }
        _ = extractor.embed(patches: [patches[0]])    // warm-up

        var single: [Double] = [], singleCPU: [Double] = []
        var batched: [Double] = [], batchedCPU: [Double] = []
        for _ in 0..<repeats {
            for patch in patches {
                let (wall, cpu) = Self.timed { _ = extractor.embed(patches: [patch]) }
                single.append(wall)
                singleCPU.append(cpu)
            }
            let (wall, cpu) = Self.timed { _ = extractor.embed(patches: patches) }
            batched.append(wall / Double(patches.count))
            batchedCPU.append(cpu / Double(patches.count))
        }
        let m = Benchmark.medianOf
        print("")
        print("per patch (2.8 GFLOP), medians".padding(toLength: 52, withPad: " ", startingAt: 0) + "   wall ms    CPU ms")
        func patchRow(_ name: String, _ wall: Double, _ cpu: Double) {
            row(name, String(format: "%7.1f   %7.1f  (%.0f GFLOPS of CPU time)", wall * 1000, cpu * 1000, 2.8 / cpu))
        }
        patchRow("SongAtlas, one core (batch of 1)", m(single), m(singleCPU))
        patchRow("SongAtlas, one core (batch of \(patches.count))", m(batched), m(batchedCPU))

        if let peer {
            let patchFile = FileManager.default.temporaryDirectory.appendingPathComponent("songatlas-bench-patches-\(getpid()).f32")
            defer { try? FileManager.default.removeItem(at: patchFile) }
            var bytes = Data()
            for patch in patches { patch.withUnsafeBytes { bytes.append(contentsOf: $0) } }
            try bytes.write(to: patchFile)
            let script = Benchmark.repositoryFile("scripts/python/musicnn_bench.py")
            let wheel = ModelStore.defaultWheel(environment: ProcessInfo.processInfo.environment).path
            let json = try Benchmark.runJSON(python: "/usr/bin/taskset",
                                             arguments: ["-c", "0", peer, script, "--wheel", wheel, "--repeats", "\(repeats)", patchFile.path])
            guard let tfSingle = json["single"] as? Double, let tfBatched = json["batched"] as? Double,
                  let tfSingleCPU = json["singleCPU"] as? Double, let tfBatchedCPU = json["batchedCPU"] as? Double else {
                throw BenchmarkError("musicnn_bench.py: bad output")
            }
            let version = json["version"] as? String ?? "?"
            patchRow("TensorFlow \(version), taskset -c 0 (batch of 1)", tfSingle, tfSingleCPU)
            patchRow("TensorFlow \(version), taskset -c 0 (batch of \(patches.count))", tfBatched, tfBatchedCPU)
            print(String(format: "SongAtlas / TensorFlow per patch: wall %.1fx (batch of 1), %.1fx (batched); CPU %.1fx, %.1fx",
                         tfSingle / m(single), tfBatched / m(batched), tfSingleCPU / m(singleCPU), tfBatchedCPU / m(batchedCPU)))
        }

        // Full analysis on one core.
        let features = FeatureExtractor()
        func analysis(_ embedding: EmbeddingExtractor?) throws -> (wall: Double, cpu: Double) {
            var walls: [Double] = [], cpus: [Double] = []
            for _ in 0..<repeats {
                var failure: Error?
                let (wall, cpu) = Self.timed {
                    do { _ = try features.summarize(path: file, embedding: embedding) } catch { failure = error }
                }
                if let failure { throw failure }
                walls.append(wall)
                cpus.append(cpu)
            }
            return (m(walls), m(cpus))
        }
        let handcrafted = try analysis(nil)
        let budgeted = EmbeddingExtractor(weights: weights)
        let withEmbedding = try analysis(budgeted)
        let otherBudget: PatchBudget = budgeted.patchBudget == .evenlySpaced(5) ? .evenlySpaced(10) : .evenlySpaced(5)
        let withOther = try analysis(EmbeddingExtractor(weights: weights, patchBudget: otherBudget))
        let withAll = try analysis(extractor)
        // The fused model (`--embedding mtt+msd`): both networks on one front end, default budget.
        let msdWeights = store.isInstalled(.msd) ? try store.loadWeights(.msd) : nil
        let withFused = try msdWeights.map { try analysis(EmbeddingExtractor(weights: weights, alongside: [$0])) }
        print("")
        print("full analysis of the file, one core".padding(toLength: 52, withPad: " ", startingAt: 0)
            + "  wall s  x realtime   CPU s  x realtime")
        func realtime(_ name: String, _ time: (wall: Double, cpu: Double)) {
            row(name, String(format: "%7.3f %9.0f %9.3f %9.0f", time.wall, seconds / time.wall, time.cpu, seconds / time.cpu))
        }
        realtime("hand-crafted analysis alone", handcrafted)
        realtime("with the embedding, \(budgeted.patchBudget.description) patches (the default)", withEmbedding)
        realtime("with the embedding, \(otherBudget.description) patches", withOther)
        realtime("with the embedding, every patch", withAll)
        if let withFused {
            realtime("with mtt+msd (fused), \(budgeted.patchBudget.description) patches", withFused)
        }
        print(String(format: "the embedding's share with the default budget: %.3f s of CPU (%.0f%% of the analysis)",
                     withEmbedding.cpu - handcrafted.cpu, 100 * (withEmbedding.cpu - handcrafted.cpu) / withEmbedding.cpu))

        // Scaling: the file 4 times, one worker against all cores.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        func pass(workers: Int) -> Double {
            Benchmark.median(repeats) {
                let start = Date()
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let features = FeatureExtractor()
                    let extractor = EmbeddingExtractor(weights: weights)
                    for _ in stride(from: worker, to: 4, by: workers) { _ = try! features.summarize(path: file, embedding: extractor) }
                }
                return Date().timeIntervalSince(start)
            }
        }
        let one = pass(workers: 1), all = pass(workers: cores)
        print("")
        row("4 files with the embedding, 1 worker", String(format: "%7.3f s wall %7.0f x realtime", one, 4 * seconds / one))
        row("4 files with the embedding, \(cores) workers", String(format: "%7.3f s wall %7.0f x realtime", all, 4 * seconds / all))
        print(String(format: "scaling on %d cores: %.2fx (wall time; load average before: %@)", cores, one / all, loadAverage))

        // Peak RSS in fresh processes.
        let probe = CommandLine.arguments[0]
        func rss(_ embedding: Bool) throws -> Double {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: probe)
            process.arguments = ["embedding-rss-probe", "--models", store.directory.path, file] + (embedding ? ["--embedding"] : [])
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard let value = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw BenchmarkError("RSS probe failed")
            }
            return value
        }
        let before = try rss(false), after = try rss(true)
        print("")
        row("peak RSS, 2 workers, hand-crafted alone", String(format: "%7.1f MB", before))
        row("peak RSS, 2 workers, with the embedding", String(format: "%7.1f MB (+%.1f MB)", after, after - before))
    }
}

/// Hidden helper: runs the network on `--patches N` patches of FILE's log-mel
/// spectrogram, after loading and warming up; with N = 0 it measures the set-up
/// alone. Run under `perf stat -e cycles` to count a patch's cycles on a busy machine.
struct EmbeddingPatchProbe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "embedding-patch-probe", shouldDisplay: false)

    @Option var models: String
    @Option var patches = 10
    @Option var batch = 1
    @Argument var file: String

    func run() throws {
        let weights = try ModelStore(directory: URL(fileURLWithPath: models)).loadWeights(.mtt)
        let extractor = EmbeddingExtractor(weights: weights, patchBudget: .evenlySpaced(batch))
        let samples = try AudioDecoder(path: file, options: DecodeOptions(excerptSeconds: 8)).decodeAll()
        let rows = extractor.logMelSpectrogram(samples22050: samples)
        let patch = Array(rows[0..<187].joined())
        _ = extractor.embed(patches: [patch])
        var done = 0
        while done < patches {
            let count = min(batch, patches - done)
            _ = extractor.embed(patches: Array(repeating: patch, count: count))
            done += count
        }
    }
}
