import Export
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

/// What each Export renderer writes for a small fixed input, compared with golden files in `Golden/`.
///
/// The inputs are built here, tiny, and hold the cases each format has to get right (quoting,
/// escaping, relative and URI locations, non-finite numbers). Re-record on purpose with
/// `SONGATLAS_RECORD_GOLDEN=1 swift test --filter RendererGoldenTests`, then read the diff of
/// `Tests/ExportTests/Golden/` before committing it.
final class RendererGoldenTests: XCTestCase {
    static let golden = Golden.folder(besides: #filePath)

    /// Every golden file a test below compares with.
    static let goldenFiles: Set<String> = [
        "playlist.m3u8", "table.csv", "document.json", "document-compact.json", "segment-plot.svg",
        "segment-plot.html", "song-map-hexagonal.svg", "song-map-square.svg", "song-map.html",
    ]

    func testM3U8Playlist() {
        let playlist = M3U8Playlist(entries: [
            .init(path: "/music/Artist/Album/01 Intro.flac", durationSeconds: 61.6, displayTitle: "Artist - Intro"),
            .init(path: "/music/#1 hit?.mp3", durationSeconds: 0.4, displayTitle: "Band, The – #1 hit?"),
            .init(path: "/elsewhere/other.ogg", durationSeconds: 200, displayTitle: "two\nlines"),
        ])
        Golden.assertMatches(playlist.rendered(playlistFolder: "/music/Playlists", relativeRoot: "/music"),
                             file: "playlist.m3u8", in: Self.golden)
    }

    func testCSVTable() {
        var table = CSVTable(header: ["path", "title", "durationSeconds", "centroid_mean"])
        table.append(["/music/plain.flac", "Plain", CSVTable.number(61.6), CSVTable.number(Float(1234.5))])
        table.append(["/music/a,b.wav", "She said \"hi\"", CSVTable.number(1.0 / 3), CSVTable.number(Float.nan)])
        table.append(["/music/two\nlines.wav", "carriage\rreturn", CSVTable.number(Double.infinity),
                      CSVTable.number(Float(1e-7))])
        Golden.assertMatches(table.rendered(), file: "table.csv", in: Self.golden)
    }

    /// A document shaped like the ones SongAtlas writes, through the one JSON configuration.
    struct Document: Encodable {
        struct Track: Encodable {
            var title: String
            var path: String
            var durationSeconds: Double
        }
        var version: Int
        var tracks: [Track]
        var values: [Double]
        var note: String?
        var absent: String?
    }

    func testJSONDocument() throws {
        let document = Document(
            version: 2,
            tracks: [.init(title: "Beyoncé – ♪ \"quoted\"", path: "/music/a b/c.flac", durationSeconds: 61.6),
                     .init(title: "<tag> & more", path: "relative/d.wav", durationSeconds: 0.1)],
            values: [0, 1.5, -2.25, 1e-7, .nan, .infinity, -.infinity],
            note: "slashes / stay / plain", absent: nil)
        let pretty = String(decoding: try JSONOutput.encoder().encode(document), as: UTF8.self)
        Golden.assertMatches(pretty + "\n", file: "document.json", in: Self.golden)
        let compact = String(decoding: try JSONOutput.encoder(pretty: false).encode(document), as: UTF8.self)
        Golden.assertMatches(compact + "\n", file: "document-compact.json", in: Self.golden)
        XCTAssertFalse(compact.contains("\n"), "a compact document is one line")
    }

    func testSegmentPlot() throws {
        // Four frames: two alike, then two others; three sections, one label to escape.
        let rows: [[Float]] = [[1, 0.8, -0.2, -1], [0.8, 1, 0, -0.5], [-0.2, 0, 1, 0.9], [-1, -0.5, 0.9, 1]]
        let similarity = rows.flatMap { $0 }
        let plot = SegmentPlot(
            title: "Plot <of> \"a & b\"", durationSeconds: 12,
            sections: [.init(start: 0, end: 5, label: "A", confidence: 1), .init(start: 5, end: 9.5, label: "<B&>", confidence: 0.5),
                       .init(start: 9.5, end: 12, label: "A", confidence: 0.25)],
            novelty: [(0, 0), (3, 0.25), (5, 1.2), (9.5, 0.8), (12, -0.1)],
            similarityCells: 4, similarity: similarity, highlight: .init(start: 9.5, end: 11.5, label: "A", occurrences: 2))
        let svg = plot.svg()
        Golden.assertMatches(svg, file: "segment-plot.svg", in: Self.golden)
        Golden.assertMatches(plot.html(), file: "segment-plot.html", in: Self.golden)
        XCTAssertNil(Self.xmlError(svg), "the SVG is well-formed XML")
    }

    func testSongMap() throws {
        func drawing(hexagonal: Bool) -> SongMapDrawing {
            // A 2 × 2 grid; a hexagonal grid shifts its second row by half a unit and packs rows closer.
            let shift = hexagonal ? 0.5 : 0, rowStep = hexagonal ? 0.866 : 1
            let cells = [SongMapDrawing.Cell(x: 0, y: 0, height: 0), SongMapDrawing.Cell(x: 1, y: 0, height: 0.25),
                         SongMapDrawing.Cell(x: shift, y: rowStep, height: 0.75),
                         SongMapDrawing.Cell(x: 1 + shift, y: rowStep, height: 1)]
            func song(_ x: Double, _ y: Double, _ title: String, _ artist: String, _ path: String, _ cluster: Int)
                -> SongMapDocument.Song
            {
                SongMapDocument.Song(path: path, title: title, artist: artist, cluster: cluster, unit: 0, gridX: 0, gridY: 0,
                                     x: x, y: y)
            }
            let songs = [
                song(0.1, 0.2, "First", "Artist", "/music/first.flac", 0),
                song(1.2, 0.9, "<script>alert(1)</script>", "", "/music/it's & <b>.wav", 1),
                song(0.6, 0.5, "Line\u{2028}separator", "\"Q\" & A", "/elsewhere/x.ogg", 1),
            ]
            let sources = ["first.flac", "it's%20&%20%3Cb%3E.wav", "file:///elsewhere/x.ogg"]
            return SongMapDrawing(title: "Map <&> \"two\"", hexagonal: hexagonal, cells: cells, songs: songs,
                                  sources: sources, clusterNames: ["Playlist 1", "Playlist <2>"])
        }
        let hexagonal = drawing(hexagonal: true)
        Golden.assertMatches(hexagonal.svg(), file: "song-map-hexagonal.svg", in: Self.golden)
        Golden.assertMatches(drawing(hexagonal: false).svg(), file: "song-map-square.svg", in: Self.golden)
        // The whole page goes to the golden file (its song data has sorted keys, so it is the same
        // every run); the song data is also checked by value: script-safe, and the songs as drawn.
        let page = try hexagonal.html()
        Golden.assertMatches(page, file: "song-map.html", in: Self.golden)
        let (_, songData) = try Self.separatingSongData(page)
        XCTAssertFalse(songData.contains { "<>&\u{2028}\u{2029}".contains($0) }, "song data must not close its <script>: \(songData)")
        let decoded = try JSONDecoder().decode(DecodedSongs.self, from: Data(songData.utf8))
        let expected = zip(hexagonal.songs, hexagonal.sources).map { song, source in
            DecodedSong(x: song.x, y: song.y, title: song.displayTitle, artist: song.artist ?? "", path: song.path,
                        source: source, cluster: song.cluster)
        }
        XCTAssertEqual(decoded.songs, expected)
        XCTAssertEqual(decoded.nearCount, hexagonal.songs.map(\.neighbours.count))
        XCTAssertNil(Self.xmlError(hexagonal.svg()), "the SVG is well-formed XML")
        XCTAssertNil(Self.xmlError(drawing(hexagonal: false).svg()), "the SVG is well-formed XML")
    }

    /// Every file in `Golden/` is compared by a test above, so the folder cannot collect leftovers.
    /// (A listed file that is missing fails the test that compares with it.)
    func testEveryGoldenFileIsCompared() throws {
        for name in try Golden.fileNames(in: Self.golden)
            where !Self.goldenFiles.contains(name) && !SongListRenderingTests.goldenFiles.contains(name)
                && !DocumentSchemaGoldenTests.goldenFiles.contains(name)
                && !SegmentDocumentGoldenTests.goldenFiles.contains(name) && !SongListTextGoldenTests.goldenFiles.contains(name) {
            XCTFail("Golden/\(name) is compared by no test; remove it or compare with it")
        }
    }

    /// One song as the map page's script reads it.
    struct DecodedSong: Equatable {
        var x: Double
        var y: Double
        var title: String
        var artist: String
        var path: String
        var source: String
        var cluster: Int
    }

    /// The map page's song data: one array per field.
    struct DecodedSongs: Decodable {
        var x: [Double]
        var y: [Double]
        var title: [String]
        var artist: [String]
        var path: [String]
        var source: [String]
        var cluster: [Int]
        var nearCount: [Int]

        var songs: [DecodedSong] {
            x.indices.map { DecodedSong(x: x[$0], y: y[$0], title: title[$0], artist: artist[$0], path: path[$0],
                                        source: source[$0], cluster: cluster[$0]) }
        }
    }

    /// The page with the content of its `song-data` script replaced by a marker, and that content.
    static func separatingSongData(_ html: String) throws -> (page: String, songData: String) {
        let opening = "<script id=\"song-data\" type=\"application/json\">"
        guard let start = html.range(of: opening),
              let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex) else {
            XCTFail("the page has no song-data script")
            return (html, "[]")
        }
        let page = html.replacingCharacters(in: start.upperBound..<end.lowerBound, with: "(song data, checked by value)")
        return (page, String(html[start.upperBound..<end.lowerBound]))
    }

    /// Why `text` is not well-formed XML, or nil when it is.
    static func xmlError(_ text: String) -> String? {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() ? nil : "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber)"
    }
}
