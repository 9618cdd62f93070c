import Clustering
import Features
import Foundation
import Library
import SongAtlas

/// `songatlas-bench similar`: the nearest-song query and the song path over a
/// library already in memory (100,000 songs by default), side by side with
/// scikit-learn's brute-force `NearestNeighbors` on the same matrix; then the
/// whole `songatlas similar` command, process start included, from a warm
/// cache of 10,000 songs.
enum SimilarBenchmark {
    static func run(matrixPath: String, rows: Int, columns: Int, cacheSongs: Int, repeats: Int, peerPython: String?) throws {
        var peer: [String: Any]?
        if let peerPython {
            // The peer makes the matrix (seeded) if it does not exist yet.
            let script = Benchmark.repositoryFile("scripts/python/similar_bench.py")
            peer = try Benchmark.runJSON(python: peerPython, arguments: [
                script, matrixPath, "--rows", "\(rows)", "--columns", "\(columns)", "--repeats", "\(max(repeats, 5))"])
        }
        let points = try matrix(matrixPath, rows: rows, columns: columns)
        let groups = randomGroups(rows)
        var generator = SeededGenerator(seed: 5)
        func randomRow() -> Int { Int.random(in: 0..<rows, using: &generator) }

        print("similar: \(rows) songs × \(columns) values in memory, one core, median of \(max(repeats, 5)) queries")
        let plain = try Benchmark.median(max(repeats, 5)) {
            let seed = randomRow()
            let start = Date()
            _ = try SimilarityRanking.nearest(points: points, seeds: [seed], count: 30, groups: groups, limits: .none)
            return Date().timeIntervalSince(start)
        }
        print(String(format: "  nearest 30, no caps (what scikit-learn does) %8.2f ms", plain * 1000))
        if let peer, let seconds = peer["medianSeconds"] as? Double {
            print(String(format: "  scikit-learn NearestNeighbors brute           %8.2f ms   (%@; ours is %.2fx faster)",
                         seconds * 1000, peer["version"] as? String ?? "?", seconds / plain))
        }
        let capped = try Benchmark.median(max(repeats, 5)) {
            let seed = randomRow()
            let start = Date()
            _ = try SimilarityRanking.nearest(points: points, seeds: [seed], count: 30, groups: groups,
                                              limits: SimilarityRanking.Limits(duplicateDistance: 0.5))
            return Date().timeIntervalSince(start)
        }
        print(String(format: "  nearest 30, caps 3/2 and near-duplicates    %8.2f ms", capped * 1000))
        let threeSeeds = try Benchmark.median(max(repeats, 5)) {
            let seeds = [randomRow(), randomRow(), randomRow()]
            let start = Date()
            _ = try SimilarityRanking.nearest(points: points, seeds: seeds, count: 30, groups: groups,
                                              limits: SimilarityRanking.Limits(duplicateDistance: 0.5))
            return Date().timeIntervalSince(start)
        }
        print(String(format: "  3 seeds, 30 songs, caps and near-duplicates %8.2f ms", threeSeeds * 1000))
        let path = try Benchmark.median(max(repeats, 5)) {
            let anchors = (0..<5).map { _ in randomRow() }
            let start = Date()
            _ = try SongPath.find(points: points, anchors: anchors, length: 20)
            return Date().timeIntervalSince(start)
        }
        print(String(format: "  path of 20 songs through 3 waypoints        %8.2f ms", path * 1000))

        try wholeCommand(songs: cacheSongs, repeats: repeats)
    }

    /// The benchmark matrix: the peer's file when it is there, else seeded blobs made here.
    static func matrix(_ path: String, rows: Int, columns: Int) throws -> FeatureMatrix {
        if let data = FileManager.default.contents(atPath: path), data.count == rows * columns * 4 {
            return FeatureMatrix(rowCount: rows, columnCount: columns,
                                 values: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        }
        var generator = SeededGenerator(seed: 20261125)
        let centres = (0..<8).map { _ in (0..<columns).map { _ in Float.random(in: -3...3, using: &generator) } }
        var values: [Float] = []
        values.reserveCapacity(rows * columns)
        for _ in 0..<rows {
            let centre = centres[Int.random(in: 0..<8, using: &generator)]
            for column in 0..<columns { values.append(centre[column] + Float.random(in: -2...2, using: &generator)) }
        }
        return FeatureMatrix(rowCount: rows, columnCount: columns, values: values)
    }

    /// Artists of about 10 songs and albums of about 5, so the caps have work to do.
    static func randomGroups(_ count: Int) -> SongGroups {
        var generator = SeededGenerator(seed: 9)
        let artist = (0..<count).map { _ in Int.random(in: 0..<max(count / 10, 1), using: &generator) }
        return SongGroups(artist: artist, album: (0..<count).map { $0 / 5 }, work: (0..<count).map { $0 })
    }

    /// `songatlas similar SEED -n 30` (the release binary beside this one) from a warm cache of `songs`
    /// synthetic songs (``SyntheticCacheLibrary``: empty files, nothing is decoded), process start included.
    static func wholeCommand(songs: Int, repeats: Int) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("songatlas").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("whole command: \(binary) not built (swift build -c release --product songatlas); skipped")
            return
        }
        let folder = NSTemporaryDirectory() + "songatlas-bench-similar-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fillSeconds = try SyntheticCacheLibrary.fill(folder: folder, songs: songs)
        print(String(format: "filled a synthetic cache of %d songs in %.1f s", songs, fillSeconds))
        // Where the time goes, in this process.
        var start = Date()
        let reopened = Atlas.openCache(at: folder + "/cache.sqlite").cache!
        let openSeconds = Date().timeIntervalSince(start)
        start = Date()
        let tracks = try Atlas.cachedTracks(reopened)
        let loadSeconds = Date().timeIntervalSince(start)
        start = Date()
        let placed = FeatureSpace().place(tracks)
        let placeSeconds = Date().timeIntervalSince(start)
        start = Date()
        _ = SongIdentity.groups(tracks)
        let tagSeconds = Date().timeIntervalSince(start)
        print(String(format: "in-process: place %.3f s, tag keys %.3f s (%d points)", placeSeconds, tagSeconds, placed.count))
        // The record alone, one core: the JSON of cache schema 4 against the binary record of schema 5.
        let sample = tracks.prefix(10_000).map { CachedTrack($0) }
        let json = try sample.map { try JSONEncoder().encode($0) }
        let binaryRecords = sample.map { $0.encoded() }
        func decodeSeconds(_ records: [Data]) throws -> Double {
            try Benchmark.median(max(repeats, 3)) {
                let start = Date()
                for record in records { _ = try CachedTrack.decode(record) }
                return Date().timeIntervalSince(start)
            }
        }
        let jsonSeconds = try decodeSeconds(json)
        let binarySeconds = try decodeSeconds(binaryRecords)
        print(String(format: "decode and check %d records, one core: JSON (schema 4) %.3f s, %.0f bytes each; "
            + "binary (schema 5) %.3f s, %.0f bytes each (%.1fx faster)", sample.count, jsonSeconds,
            Double(json.map(\.count).reduce(0, +)) / Double(max(sample.count, 1)), binarySeconds,
            Double(binaryRecords.map(\.count).reduce(0, +)) / Double(max(sample.count, 1)), jsonSeconds / binarySeconds))
        start = Date()
        let document = try Atlas.similar(tracks, seeds: [tracks[7]], options: SimilarOptions())
        let querySeconds = Date().timeIntervalSince(start)
        print(String(format: "in-process, \(tracks.count) songs: open the cache %.3f s, read every song %.3f s, "
            + "place and rank %.3f s (%d songs)", openSeconds, loadSeconds, querySeconds, document.songs.count - 1))
        func time(_ arguments: [String]) throws -> Double {
            Benchmark.medianOf(try (0..<max(repeats, 3)).map { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = arguments
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                let start = Date()
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else { throw BenchmarkError("songatlas \(arguments) failed") }
                return Date().timeIntervalSince(start)
            })
        }
        let seed = folder + "/music/7.flac"
        // The one-copy search (DuplicateFinder) compares every pair of songs without a fingerprint, and these
        // have none: --keep-copies times everything else.
        let keepingCopies = try time(["similar", seed, "-n", "30", "--cache", folder + "/cache.sqlite", "--embedding", "none",
                                      "--keep-copies", "-q"])
        let withEmbedding = try time(["similar", seed, "-n", "30", "--cache", folder + "/cache.sqlite", "--keep-copies", "-q"])
        print("whole command, warm cache of \(songs) songs, process start included, median of \(max(repeats, 3))")
        print(String(format: "  songatlas similar SONG --keep-copies        %8.3f s", keepingCopies))
        print(String(format: "  ... with the default embedding (MTT)        %8.3f s", withEmbedding))
        guard songs <= 20_000 else {
            print("  (the one-copy search is O(n²) over songs without a fingerprint: skipped above 20,000 songs)")
            return
        }
        let fromCache = try time(["similar", seed, "-n", "30", "--cache", folder + "/cache.sqlite", "--embedding", "none", "-q"])
        let withLibrary = try time(["similar", seed, "-n", "30", "--cache", folder + "/cache.sqlite", "--embedding", "none",
                                    "--library", folder + "/music", "-q"])
        let path = try time(["path", seed, folder + "/music/9000.flac", "--via", folder + "/music/100.flac", "-n", "20",
                             "--cache", folder + "/cache.sqlite", "--embedding", "none", "-q"])
        print(String(format: "  songatlas similar SONG (the whole cache)    %8.3f s", fromCache))
        print(String(format: "  songatlas similar SONG --library FOLDER     %8.3f s", withLibrary))
        print(String(format: "  songatlas path FROM TO --via SONG           %8.3f s", path))
    }
}
