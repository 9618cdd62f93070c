import Clustering
import Export
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `playlists --algorithm …`, `map --algorithm …` and `evaluate clusters --compare` on SampleAudio.
final class ClustererCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testInvalidCombinationsNameTheFlagInOneLine() throws {
        let cases: [([String], String)] = [
            (["--linkage", "ward"], "Error: --linkage applies to --algorithm agglomerative only, not kmeans"),
            (["--algorithm", "gmm", "--bridges", "0.7"], "Error: --bridges must be more than 0 and at most 0.5, got 0.7"),
            (["--algorithm", "gmm", "--bridges", "0"], "Error: --bridges must be more than 0 and at most 0.5, got 0.0"),
            (["--bridges", "0.3"], "Error: --bridges applies to --algorithm gmm only, not kmeans"),
            (["--algorithm", "hdbscan", "-k", "3"],
             "Error: -k 3 applies to --algorithm kmeans, gmm or agglomerative only, not hdbscan"),
            // The same rule for the shared flags: GMM uses --max-iterations and --tolerance, HDBSCAN refuses them.
            (["--algorithm", "hdbscan", "--max-iterations", "50"],
             "Error: --max-iterations applies to --algorithm kmeans or gmm only, not hdbscan"),
            (["--algorithm", "agglomerative", "--restarts", "3"],
             "Error: --restarts applies to --algorithm kmeans or gmm only, not agglomerative"),
            (["--algorithm", "hdbscan", "--choose-k", "silhouette"],
             "Error: --choose-k applies to --algorithm kmeans, gmm or agglomerative only, not hdbscan"),
            (["--choose-k", "bic"], "Error: --choose-k bic applies to --algorithm gmm only, not kmeans"),
            (["-k", "4", "--choose-k", "silhouette"], "Error: --choose-k silhouette applies to -k auto only, not a fixed -k"),
            (["--algorithm", "agglomerative", "--min-cluster-size", "4"],
             "Error: --min-cluster-size applies to --algorithm hdbscan only, not agglomerative"),
            (["--algorithm", "hdbscan", "--min-cluster-size", "1"], "Error: --min-cluster-size must be between 2 and 100000, got 1"),
            (["--algorithm", "gmm", "--pca-dimensions", "4"], "Error: --pca-dimensions applies to --covariance full only"),
            (["--algorithm", "spectral"], "Error: The value 'spectral' is invalid for '--algorithm <algorithm>'. "
                + "Please provide one of 'kmeans', 'gmm', 'agglomerative' or 'hdbscan'."),
        ]
        for (arguments, expected) in cases {
            let result = try CommandRunner.run("songatlas", ["playlists", "SampleAudio", "--no-cache",
                                                             "--out", directory.file("out")] + arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertEqual(result.standardError.split(separator: "\n").first.map(String.init) ?? "",
                           expected, "\(arguments)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("out")), "nothing written")
        }
    }

    func testEachAlgorithmWritesItsPlaylistsAndItsOwnFiles() throws {
        let cache = try SampleAudioCache.copy(to: directory.file("cache.sqlite"))
        func run(_ out: String, _ arguments: [String]) throws -> PlaylistDocument {
            let result = try CommandRunner.run("songatlas", ["playlists", "SampleAudio", "--cache", cache, "--out",
                                                             directory.file(out), "--labels", "SampleAudio/labels.csv"]
                                                                + arguments)
            XCTAssertEqual(result.status, 0, result.standardError)
            return try JSONDecoder().decode(PlaylistDocument.self,
                                            from: Data(contentsOf: URL(fileURLWithPath: directory.file(out + "/playlists.json"))))
        }
        let gmm = try run("gmm", ["--algorithm", "gmm", "-k", "6", "--bridges", "0.25"])
        XCTAssertEqual(gmm.algorithm, "gmm (diag, bridges at 0.25)")
        XCTAssertTrue(gmm.playlists.allSatisfy { $0.tracks.allSatisfy { $0.membership?.count == gmm.playlists.count } })
        let csv = try String(contentsOfFile: directory.file("gmm/playlists.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("playlist,position,path,title,artist,album,duration_seconds,distance_to_centroid,"
            + "membership,bridge,uri\n"), csv)

        let tree = try run("tree", ["--algorithm", "agglomerative", "--linkage", "complete", "-k", "6"])
        XCTAssertEqual(tree.algorithm, "agglomerative (complete)")
        let dendrogram = try JSONDecoder().decode(
            DendrogramDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("tree/dendrogram.json"))))
        XCTAssertEqual(dendrogram.leaves.count, 18)
        XCTAssertEqual(dendrogram.merges.count, 17)
        XCTAssertEqual(dendrogram.linkage, "complete")
        let svg = try String(contentsOfFile: directory.file("tree/dendrogram.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("Piano Study 1"), "leaves are labelled by title")

        let density = try run("density", ["--algorithm", "hdbscan", "--min-cluster-size", "3"])
        XCTAssertEqual(density.playlists.last?.name, "unsorted")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("density/unsorted.m3u8")))

        // The same folder again with k-means (a recluster: an update keeps the algorithm): the dendrogram files
        // of the earlier run there go with the manifest.
        _ = try run("tree", ["-k", "6", "--recluster"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("tree/dendrogram.svg")))
    }

    func testGMMUsesTheIterationAndToleranceFlags() throws {
        // SampleAudio's features from the cache, as --no-cache would compute them: the flags are what is tested.
        let cache = try SampleAudioCache.copy(to: directory.file("cache.sqlite"))
        let result = try CommandRunner.run("songatlas", ["playlists", "SampleAudio", "--cache", cache, "--out", directory.file("g"),
                                                         "--algorithm", "gmm", "-k", "3", "--restarts", "1",
                                                         "--max-iterations", "1", "--tolerance", "0"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("note: EM did not converge in 1 iterations (last change above 0.0)"),
                      result.standardError)
        let chosen = try CommandRunner.run("songatlas", ["playlists", "SampleAudio", "--cache", cache, "--out", directory.file("s"),
                                                         "--algorithm", "agglomerative", "--choose-k", "silhouette"])
        XCTAssertEqual(chosen.status, 0, chosen.standardError)
        XCTAssertTrue(chosen.standardOutput.hasPrefix("k chosen by silhouette: k=2 "), chosen.standardOutput)
    }

    func testMapColoursByTheChosenAlgorithm() throws {
        let out = directory.file("map/map.html")
        let cache = try SampleAudioCache.copy(to: directory.file("cache.sqlite"))
        let result = try CommandRunner.run("songatlas", ["map", "SampleAudio", "--cache", cache, "--out", out, "--quiet",
                                                         "--algorithm", "hdbscan", "--min-cluster-size", "3"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let map = try JSONDecoder().decode(SongMapDocument.self,
                                           from: Data(contentsOf: URL(fileURLWithPath: directory.file("map/map.json"))))
        XCTAssertEqual(map.clusters.last, "unsorted")
    }

    func testCompareTableHasARowPerAlgorithm() throws {
        let cache = try SampleAudioCache.copy(to: directory.file("cache.sqlite"))
        let result = try CommandRunner.run("songatlas", ["evaluate", "clusters", "--compare", "SampleAudio", "--labels",
                                                         "SampleAudio/labels.csv", "--cache", cache, "--quiet", "-k", "6"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("algorithm"), lines[0])
        XCTAssertTrue(lines[0].contains("ARI") && lines[0].contains("silhou") && lines[0].contains("time"))
        for name in Atlas.comparedClusterings.map(\.summary) {
            XCTAssertEqual(lines.filter { $0.hasPrefix(name + " ") }.count, 1, name)
        }
        let json = try CommandRunner.run("songatlas", ["evaluate", "clusters", "--compare", "SampleAudio", "--labels",
                                                       "SampleAudio/labels.csv", "--cache", cache, "--quiet", "--json"])
        let rows = try JSONDecoder().decode([ClustererComparison].self, from: Data(json.standardOutput.utf8))
        XCTAssertEqual(rows.count, 7)
        let misuse = try CommandRunner.run("songatlas", ["evaluate", "clusters", "a.json", "b.json", "--labels-from-folders"])
        XCTAssertEqual(misuse.status, 64)
        XCTAssertTrue(misuse.standardError.hasPrefix("Error: give one playlists.json (or --compare with music folders)"),
                      misuse.standardError)
    }
}
