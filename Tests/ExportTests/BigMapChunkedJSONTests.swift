import Export
import Foundation
import XCTest

/// `map.json` written a few thousand songs at a time is byte for byte the document encoded whole.
final class BigMapChunkedJSONTests: XCTestCase {
    static func document(songs count: Int, topographicError: Double?) -> SongMapDocument {
        var songs: [SongMapDocument.Song] = []
        for index in 0..<count {
            let title: String? = index % 3 == 0 ? nil : "Song \(index) ünïcode"
            let artist: String? = index % 5 == 0 ? nil : "Artist \(index % 7)"
            let duration: Double? = index % 2 == 0 ? nil : 180.25 + Double(index)
            var neighbours: [SongMapDocument.Neighbour] = []
            for rank in 0..<(index % 4) {
                neighbours.append(SongMapDocument.Neighbour(song: (rank + index + 1) % count, similarity: 1 / Double(rank + 2),
                                                            distance: Double.pi * Double(rank)))
            }
            songs.append(SongMapDocument.Song(
                path: "/music/\(index) \"quoted\" songs\":[].flac", title: title, artist: artist, cluster: index % 4,
                unit: index % 9, gridX: index % 3, gridY: index % 3, x: Double(index) / 7, y: -Double(index) / 3,
                durationSeconds: duration, neighbours: neighbours))
        }
        return SongMapDocument(featureVersion: 2, width: 3, height: 3, topology: .hexagonal, training: .batch,
                               quantizationError: 1.25, topographicError: topographicError,
                               clusters: ["one \"songs\":[]", "two"], notes: ["a note"], songs: songs,
                               codebook: [[1, 2.5], [3, .infinity]], uMatrix: [0, 0.5, .nan])
    }

    func testChunkedEncodingIsTheWholeEncoding() throws {
        let encoder = JSONOutput.encoder(pretty: false)
        for (count, chunk) in [(0, 3), (1, 1), (10, 3), (12, 4), (12, 12), (13, 1)] {
            for error in [nil, 0.125] as [Double?] {
                let document = Self.document(songs: count, topographicError: error)
                let whole = try encoder.encode(document)
                let chunked = try document.chunkedJSON(encoder: encoder, songsPerChunk: chunk)
                XCTAssertEqual(chunked, whole, "\(count) songs in pieces of \(chunk)")
            }
        }
        // Pretty-printed output is encoded whole, and still equal.
        let pretty = JSONOutput.encoder(pretty: true)
        let document = Self.document(songs: 10, topographicError: 0.5)
        XCTAssertEqual(try document.chunkedJSON(encoder: pretty, songsPerChunk: 3), try pretty.encode(document))
    }
}
