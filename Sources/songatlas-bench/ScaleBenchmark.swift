import Foundation
import SongAtlas

/// `songatlas-bench scale [--tracks N] [--seconds S] [--repeats N] [FOLDER]`: the `songatlas`
/// command itself on a large synthetic library (default 10,000 tracks of 5 s),
/// each step a separate process so that its peak RSS is its own:
///
/// 1. `playlists` with an empty cache (every track analysed),
/// 2. `playlists` again (every track from the cache),
/// 3. `map` from the same cache,
/// 4. `analyze` of every track to a JSON file (no cache; records are streamed, so memory stays flat).
///
/// Prints the median wall time, the largest peak RSS and tracks per second for each step.
enum ScaleBenchmark {
    static func run(folder: String, trackCount: Int, trackSeconds: Double, repeats: Int) throws {
        let generationStart = Date()
        try LibraryBenchmark.generate(folder: folder, trackCount: trackCount, trackSeconds: trackSeconds)
        let generationSeconds = Date().timeIntervalSince(generationStart)
        if generationSeconds > 1 { print(String(format: "generated the library in %.1f s", generationSeconds)) }

        let executable = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("songatlas").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkError("\(executable) is missing: build the songatlas product first")
        }
        let scratch = NSTemporaryDirectory() + "songatlas-scale-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let cache = scratch + "/cache.sqlite"
        let cores = ProcessInfo.processInfo.activeProcessorCount

        print("scale: \(trackCount) tracks of \(trackSeconds) s (\(String(format: "%.1f", Double(trackCount) * trackSeconds / 3600)) h of audio) "
            + "in \(folder), \(cores) cores; median wall time and largest peak RSS of \(repeats) runs")
        print("step".padding(toLength: 48, withPad: " ", startingAt: 0) + "    wall     peak RSS    tracks/s      CPU")
        let playlists = ["playlists", folder, "--out", scratch + "/playlists", "--cache", cache, "--quiet"]
        let map = ["map", folder, "--out", scratch + "/map/map.html", "--cache", cache, "--quiet"]
        let analyze = ["analyze", folder, "-o", scratch + "/report.json", "--quiet"]
        let removeCache = { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cache + suffix) } }
        // The first run starts from an empty cache each time; the cached runs reuse the last one.
        let steps: [(name: String, arguments: [String], before: () -> Void)] = [
            ("playlists, first run (analyse)", playlists, removeCache),
            ("playlists, second run (cached)", playlists, {}),
            ("map (cached)", map, {}),
            ("analyze (streamed to a file)", analyze, {}),
        ]
        for step in steps {
            try timeStep(step.name, executable: executable, arguments: step.arguments, before: step.before,
                         repeats: repeats, trackCount: trackCount)
        }
    }

    /// `songatlas-bench scale --synthetic-cache`: the commands that read a warm cache, over `trackCount`
    /// synthetic songs written straight into it (``SyntheticCacheLibrary``: nothing is analysed, the records
    /// carry fingerprints and a few songs are copies of another), each step its own process: `playlists`
    /// (every song from the cache), `map`, `similar` (the whole cache as the library), each as users run it
    /// (the one-copy search sets the copies aside) and with `--keep-copies` (no search).
    ///
    /// - Parameters:
    ///   - withoutFingerprint: the share of records without a fingerprint (old caches upgraded in place),
    ///     which the one-copy search compares by distance.
    ///   - only: the one command to time (`playlists`, `map` or `similar`), nil for all three.
    static func runSynthetic(trackCount: Int, repeats: Int, withoutFingerprint: Double = 0, only: String? = nil) throws {
        if let only, !["playlists", "map", "similar"].contains(only) {
            throw BenchmarkError("--only \(only): not playlists, map or similar")
        }
        let executable = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("songatlas").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkError("\(executable) is missing: build the songatlas product first")
        }
        let scratch = NSTemporaryDirectory() + "songatlas-scale-synthetic-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fillSeconds = try SyntheticCacheLibrary.fill(folder: scratch, songs: trackCount,
                                                         withoutFingerprint: withoutFingerprint)
        let cache = scratch + "/cache.sqlite"
        let music = scratch + "/music"
        print(String(format: "scale: %d synthetic songs in a warm cache (filled in %.1f s; 1 in %d a copy of another, "
            + "%.0f %% without a fingerprint), %d cores; median wall time and largest peak RSS of %d runs", trackCount,
            fillSeconds, SyntheticCacheLibrary.copyEvery, withoutFingerprint * 100,
            ProcessInfo.processInfo.activeProcessorCount, repeats))
        print("step".padding(toLength: 48, withPad: " ", startingAt: 0) + "    wall     peak RSS    tracks/s      CPU")
        let steps: [(name: String, arguments: [String])] = [
            ("playlists (cached)", ["playlists", music, "--out", scratch + "/playlists", "--cache", cache, "--quiet"]),
            ("map (cached)", ["map", music, "--out", scratch + "/map/map.html", "--cache", cache, "--quiet"]),
            ("similar SONG (the whole cache)", ["similar", music + "/7.flac", "-n", "30", "--cache", cache, "-q"]),
        ]
        for keepCopies in [false, true] {
            for step in steps where only.map({ step.arguments[0] == $0 }) ?? true {
                try timeStep(step.name + (keepCopies ? ", --keep-copies" : ""), executable: executable,
                             arguments: step.arguments + (keepCopies ? ["--keep-copies"] : []), repeats: repeats,
                             trackCount: trackCount)
            }
        }
    }

    /// Runs one step `repeats` times (each after `before`) and prints its median wall time, largest peak
    /// RSS, tracks per second and median CPU time (user and system: an honest figure on a loaded machine).
    private static func timeStep(_ name: String, executable: String, arguments: [String], before: () -> Void = {},
                                 repeats: Int, trackCount: Int) throws {
        var times: [Double] = []
        var cpuTimes: [Double] = []
        var peak = 0.0
        for _ in 0..<max(1, repeats) {
            before()
            let measured = try measure(executable, arguments)
            guard measured.status == 0 else {
                throw BenchmarkError("songatlas \(arguments[0]) exited with status \(measured.status)")
            }
            times.append(measured.seconds)
            cpuTimes.append(measured.cpuSeconds)
            peak = max(peak, measured.peakMegabytes)
        }
        let seconds = Benchmark.medianOf(times)
        print(name.padding(toLength: 48, withPad: " ", startingAt: 0)
            + String(format: "%7.2f s  %8.1f MB  %10.0f  %7.2f s", seconds, peak, Double(trackCount) / seconds,
                     Benchmark.medianOf(cpuTimes)))
    }

    /// Runs a program to its end: wall time, peak RSS (of that process alone) and exit status.
    static func measure(_ executable: String, _ arguments: [String])
        throws -> (seconds: Double, cpuSeconds: Double, peakMegabytes: Double, status: Int32) {
        var pid = pid_t()
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let start = Date()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchmarkError("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(start)
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let cpuSeconds = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return (seconds, cpuSeconds, Double(usage.ru_maxrss) / 1024, exitStatus)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
