import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `evaluate clusters --compare` runs k-means exactly as `playlists` does (same feature space, seed
/// and restarts), so at the same `-k` both give the same ARI; and every row says which k it used
/// and how that k came about.
final class CompareLikePlaylistsTests: XCTestCase {
    func testKMeansRowMatchesPlaylistsAtTheSameKAndEveryRowSaysItsK() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = directory.file("cache.sqlite")
        let labels = ["--labels", "SampleAudio/labels.csv", "--cache", cache, "--quiet"]

        let playlists = try CommandRunner.run("songatlas", ["playlists", "SampleAudio", "-k", "7", "--out",
                                                            directory.file("out")] + labels)
        XCTAssertEqual(playlists.status, 0, playlists.standardError)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file("out/playlists.json"))))
        let playlistsARI = try XCTUnwrap(Self.firstNumber(named: "adjustedRandIndex", in: document))

        let given = try Self.compare(["-k", "7"] + labels)
        let kmeans = try XCTUnwrap(given.first { $0.algorithm.hasPrefix("kmeans") })
        XCTAssertEqual(kmeans.k, 7)
        XCTAssertEqual(kmeans.kChosenBy, "given")
        XCTAssertEqual(try XCTUnwrap(kmeans.agreement?.adjustedRandIndex), playlistsARI, accuracy: 1e-12,
                       "compare's k-means at -k 7 is playlists' k-means at -k 7")
        let hdbscan = try XCTUnwrap(given.first { $0.algorithm.hasPrefix("hdbscan") })
        XCTAssertEqual(hdbscan.kChosenBy, "found")
        XCTAssertNotNil(hdbscan.k)

        let automatic = try Self.compare(labels)
        let rules = Dictionary(automatic.map { (String($0.algorithm.prefix { $0 != " " }), $0.kChosenBy ?? "") },
                               uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(rules["kmeans"], "silhouette")
        XCTAssertEqual(rules["gmm"], "bic")
        XCTAssertEqual(rules["agglomerative"], "gap")
        XCTAssertEqual(rules["hdbscan"], "found")
        for row in automatic where row.failure == nil {
            // hdbscan may find no cluster at all (every song noise, one 'unsorted' playlist).
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(row.k), row.kChosenBy == "found" ? 0 : 1, row.algorithm)
        }

        let table = try CommandRunner.run("songatlas", ["evaluate", "clusters", "--compare", "SampleAudio", "-k", "7"] + labels)
        XCTAssertEqual(table.status, 0, table.standardError)
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].contains("k  chosen by"), lines[0])
        let row = try XCTUnwrap(lines.first { $0.hasPrefix("kmeans") })
        XCTAssertTrue(row.contains("     7  given"), row)
    }

    static func compare(_ arguments: [String]) throws -> [ClustererComparison] {
        let result = try CommandRunner.run("songatlas", ["evaluate", "clusters", "--compare", "SampleAudio", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        return try JSONDecoder().decode([ClustererComparison].self, from: Data(result.standardOutput.utf8))
    }

    /// The first number under `key` anywhere in a JSON value, depth first.
    static func firstNumber(named key: String, in value: Any) -> Double? {
        if let object = value as? [String: Any] {
            if let number = object[key] as? Double { return number }
            for child in object.values { if let found = firstNumber(named: key, in: child) { return found } }
        } else if let array = value as? [Any] {
            for child in array { if let found = firstNumber(named: key, in: child) { return found } }
        }
        return nil
    }
}
