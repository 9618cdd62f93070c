import Export
import FilePaths
import Foundation
import TestSupport
import XCTest

/// The JSON schema of every document SongAtlas writes (`playlists.json`, `dendrogram.json`, `map.json`,
/// the `similar`/`path` lists), pinned by golden files in `Golden/`.
///
/// Each document is built here from its own Export types, small, with every optional field present, a
/// path that is not UTF-8 (so the `uri` keys appear) and non-finite numbers. A renamed or added key
/// fails ``testSchemas()``; a field whose type belongs to an algorithm fails
/// ``testNoDocumentHoldsAnAlgorithmType()``. Re-record on purpose with
/// `SONGATLAS_RECORD_GOLDEN=1 swift test --filter DocumentSchemaGoldenTests`, then read the diff.
final class DocumentSchemaGoldenTests: XCTestCase {
    static let golden = Golden.folder(besides: #filePath)
    static let goldenFiles: Set<String> = [
        "playlists-schema.json", "dendrogram-schema.json", "map-schema.json", "song-list-schema.json",
        "segment-scores-schema.json",
    ]

    /// `/music/Café.flac` with the é as the single Latin-1 byte 0xE9.
    static let latin1 = RawPath.string(Array("/music/Caf".utf8) + [0xE9] + Array(".flac".utf8))

    static let playlists = PlaylistDocument(
        featureVersion: 2, k: 2,
        kScores: [.init(k: 2, silhouette: 0.5, bic: -12.5), .init(k: 3, silhouette: .nan, bic: nil)],
        seed: 7, weights: ["harmony": 1, "timbre": 0.5], features: .both, embeddingModel: "musicnn-mtt",
        metrics: .init(silhouette: 0.5, daviesBouldin: .infinity, calinskiHarabasz: 12, inertia: 3.25,
                       agreement: .init(adjustedRandIndex: 1, adjustedMutualInformation: 0.75,
                                        normalizedMutualInformation: 0.8, homogeneity: 0.9, completeness: 1,
                                        vMeasure: 0.95),
                       labelledTrackCount: 2),
        notes: ["a note"],
        playlists: [
            .init(name: "01 - calm", file: "01 - calm.m3u8", tracks: [
                .init(path: latin1, title: nil, artist: nil, album: nil, durationSeconds: 61.5,
                      distanceToCentroid: 0.25, membership: [0.75, 0.25], bridge: false, added: "2026-12-07T11:00:00Z"),
            ], id: 3, created: "2026-12-01T10:00:00Z", updated: "2026-12-07T11:00:00Z"),
            .init(name: "02 - loud", file: "02 - loud.m3u8", tracks: [
                .init(path: "/music/loud.flac", title: "Loud", artist: "Band", album: "Album", durationSeconds: 200,
                      distanceToCentroid: -.infinity, membership: [0.5, 0.5], bridge: true),
            ]),
        ],
        algorithm: "gmm (diag)")
        .withKeptSetFields()

    static let dendrogram = DendrogramDocument(
        linkage: "ward", clusterCount: 2, cutHeight: 1.5,
        leaves: [.init(id: 0, path: latin1, title: "Caf\\xE9", playlist: 0),
                 .init(id: 1, path: "/music/b.flac", title: "Band - B", playlist: 1),
                 .init(id: 2, path: "/music/c.flac", title: "C", playlist: 1)],
        merges: [.init(left: 1, right: 2, height: 1, size: 2), .init(left: 0, right: 3, height: 2, size: 3)])

    static let map = SongMapDocument(
        featureVersion: 2, width: 2, height: 1, topology: .hexagonal, training: .online, quantizationError: 0.5,
        topographicError: .nan, clusters: ["calm", "loud"], notes: ["a note"],
        songs: [.init(path: latin1, title: nil, artist: nil, cluster: 0, unit: 0, gridX: 0, gridY: 0, x: 0, y: 0),
                .init(path: "/music/b.flac", title: "B", artist: "Band", cluster: 1, unit: 1, gridX: 1, gridY: 0,
                      x: 1.25, y: 0.5, cue: CueTrackReference(track: 2, startSeconds: 61.5, endSeconds: 200,
                                                              sheet: "/music/b.cue"))],
        codebook: [[0, 1], [0.5, -1]], uMatrix: [0, 1])

    static let songList = SongListDocument(
        kind: .similar, features: .embedding,
        songs: [.init(path: latin1, title: nil, artist: nil, album: nil, durationSeconds: 60, role: .seed),
                .init(path: "/music/b.flac", title: "B", artist: "Band", album: "Album", durationSeconds: .infinity,
                      role: .similar, similarity: 0.5, distance: .nan, seed: latin1)],
        steps: .init(mean: 1, largest: 2, even: 0.5, gapsAfter: [0]), notes: ["a note"])

    /// `evaluate segments --json`, with an undefined F (NaN) where nothing was estimated.
    static let segmentScores = SegmentScoresDocument(
        hitRate05: .init(precision: 0.5, recall: 1, fMeasure: 2.0 / 3.0),
        hitRate05Trimmed: .init(precision: 0, recall: 0, fMeasure: 0),
        hitRate3: .init(precision: 1, recall: 1, fMeasure: 1),
        hitRate3Trimmed: .init(precision: 1, recall: 1, fMeasure: 1),
        pairwise: .init(precision: 0.75, recall: 0.6, fMeasure: 2 * 0.75 * 0.6 / 1.35),
        overSegmentation: 0.9, underSegmentation: .nan, entropyF: .nan)

    static func json<Document: Encodable>(_ document: Document) throws -> String {
        String(decoding: try JSONOutput.encoder().encode(document), as: UTF8.self) + "\n"
    }

    func testSchemas() throws {
        Golden.assertMatches(try Self.json(Self.playlists), file: "playlists-schema.json", in: Self.golden)
        Golden.assertMatches(try Self.json(Self.dendrogram), file: "dendrogram-schema.json", in: Self.golden)
        Golden.assertMatches(try Self.json(Self.map), file: "map-schema.json", in: Self.golden)
        Golden.assertMatches(try Self.json(Self.songList), file: "song-list-schema.json", in: Self.golden)
        Golden.assertMatches(try Self.json(Self.segmentScores), file: "segment-scores-schema.json", in: Self.golden)
    }

    /// Every value a document holds, at any depth, is of a type declared outside the algorithm
    /// targets: the document's own field types, the standard library's or Foundation's.
    func testNoDocumentHoldsAnAlgorithmType() {
        func algorithmTypes(in value: Any, at place: String) -> [String] {
            let name = String(reflecting: type(of: value))
            var found = name.hasPrefix("Clustering.") || name.hasPrefix("Features.") || name.hasPrefix("Library.")
                ? ["\(place): \(name)"] : []
            for (index, child) in Mirror(reflecting: value).children.enumerated() {
                found += algorithmTypes(in: child.value, at: place + "." + (child.label ?? "\(index)"))
            }
            return found
        }
        let documents: [(String, Any)] = [("playlists", Self.playlists), ("dendrogram", Self.dendrogram),
                                           ("map", Self.map), ("songList", Self.songList),
                                           ("segmentScores", Self.segmentScores)]
        for (name, document) in documents {
            XCTAssertEqual(algorithmTypes(in: document, at: name), [], "\(name) holds an algorithm's type")
            XCTAssertTrue(String(reflecting: type(of: document)).hasPrefix("Export."), name)
        }
    }

    /// NaN and ±infinity are written as `"nan"`/`"inf"`/`"-inf"` and read back by ``JSONOutput/decoder()``
    /// as the same values: written again, every document gives the same bytes.
    func testNonFiniteNumbersReadBack() throws {
        func roundTrip<Document: Codable>(_ document: Document, _ name: String) throws {
            let written = try JSONOutput.encoder().encode(document)
            let text = String(decoding: written, as: UTF8.self)
            XCTAssertTrue(text.contains("\"nan\"") || text.contains("\"inf\"") || text.contains("\"-inf\""),
                          "\(name) has a non-finite number to read back")
            let read = try JSONOutput.decoder().decode(Document.self, from: written)
            XCTAssertEqual(String(decoding: try JSONOutput.encoder().encode(read), as: UTF8.self), text, name)
        }
        try roundTrip(Self.playlists, "playlists")
        try roundTrip(Self.dendrogram.withNonFiniteCut, "dendrogram")
        try roundTrip(Self.map, "map")
        try roundTrip(Self.songList, "songList")
        try roundTrip(Self.segmentScores, "segmentScores")
        XCTAssertTrue(try JSONOutput.decoder().decode(PlaylistDocument.self, from: JSONOutput.encoder().encode(Self.playlists))
            .kScores[1].silhouette.isNaN)
    }

    /// Every document reads its paths back from the `uri` first: the exact bytes, not the display form.
    func testPathsReadBackFromTheirURI() throws {
        let decoder = JSONOutput.decoder()
        XCTAssertEqual(try decoder.decode(PlaylistDocument.self, from: JSONOutput.encoder().encode(Self.playlists))
            .playlists[0].tracks[0].path, Self.latin1)
        XCTAssertEqual(try decoder.decode(DendrogramDocument.self, from: JSONOutput.encoder().encode(Self.dendrogram))
            .leaves[0].path, Self.latin1)
        XCTAssertEqual(try decoder.decode(SongMapDocument.self, from: JSONOutput.encoder().encode(Self.map))
            .songs[0].path, Self.latin1)
        let list = try decoder.decode(SongListDocument.self, from: JSONOutput.encoder().encode(Self.songList))
        XCTAssertEqual(list.songs[0].path, Self.latin1)
        XCTAssertEqual(list.songs[1].seed, Self.latin1)
        // A `path` text with no `uri` is taken as it is.
        let plain = Data(#"{"path": "/music/Caf\\xE9.flac", "title": "T"}"#.utf8)
        struct Holder: Decodable {
            var path: String
            enum CodingKeys: String, CodingKey { case path, uri }
            init(from decoder: any Decoder) throws {
                path = try DocumentPath(from: decoder.container(keyedBy: CodingKeys.self), path: .path, uri: .uri).path
            }
        }
        XCTAssertEqual(try decoder.decode(Holder.self, from: plain).path, "/music/Caf\\xE9.flac")
    }
}

extension DendrogramDocument {
    /// The same tree with an infinite cut height (a tree that was not cut).
    var withNonFiniteCut: DendrogramDocument {
        var copy = self
        copy.cutHeight = .infinity
        return copy
    }
}

extension PlaylistDocument {
    /// The schema fixture with the fields of a kept set (ids, settings, what the run changed) filled in.
    func withKeptSetFields() -> PlaylistDocument {
        var document = self
        document.settings = Settings(k: "auto")
        document.nextId = 5
        document.smallMerges = [SmallMerge(songs: ["/music/b.flac"], into: "02 - loud")]
        document.changes = Changes(
            mode: .recluster, keptPlaylists: 1, added: [.init(id: 3, name: "01 - calm", songs: 1)], gone: 1, moved: 2,
            leftAlone: ["04 - mine.m3u8"], split: [.init(id: 1, name: "01 - old", into: ["01 - calm", "02 - loud"])],
            merged: [.init(id: 2, name: "02 - old", into: ["02 - loud"])],
            renamed: [.init(id: 3, name: "01 - calm", into: ["01 - calm (2).m3u8"])], reason: "--recluster")
        document.changes?.drift = Changes.Drift(distanceRatio: 1.5, silhouetteBefore: 0.5, silhouetteAfter: 0.25,
                                                advisesRecluster: true)
        return document
    }
}
