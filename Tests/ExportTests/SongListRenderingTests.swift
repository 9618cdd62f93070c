import Export
import Foundation
import TestSupport
import XCTest

/// ``SongListDocument`` in each of its formats, compared with golden files in `Golden/`
/// (re-record with `SONGATLAS_RECORD_GOLDEN=1 swift test --filter SongListRenderingTests`).
final class SongListRenderingTests: XCTestCase {
    static let golden = Golden.folder(besides: #filePath)
    static let goldenFiles: Set<String> = [
        "similar.txt", "similar.csv", "similar.json", "similar.m3u8", "similar.xspf", "path.txt",
    ]

    static let similar = SongListDocument(kind: .similar, features: .handcrafted, songs: [
        .init(path: "/music/a/seed.flac", title: "Seed", artist: "Band, The", album: "One", durationSeconds: 200.4, role: .seed),
        .init(path: "/music/b/near \"quoted\".flac", title: "Near", artist: "Other", album: nil, durationSeconds: 61,
              role: .similar, similarity: 0.91, distance: 0.3, seed: "/music/a/seed.flac"),
        .init(path: "/music/#far.flac", title: nil, artist: nil, album: nil, durationSeconds: 5, role: .similar,
              similarity: 0.25, distance: 1.2, seed: "/music/a/seed.flac"),
    ], notes: ["only 2 of the 3 songs asked for were found"])

    static let path = SongListDocument(kind: .path, features: .both, songs: [
        .init(path: "/m/1.flac", title: "One", artist: "A", album: nil, durationSeconds: 1, role: .from),
        .init(path: "/m/2.flac", title: "Two", artist: "A", album: nil, durationSeconds: 1, role: .step,
              similarity: 0.8, distance: 0.5),
        .init(path: "/m/3.flac", title: "Three", artist: "B", album: nil, durationSeconds: 1, role: .via,
              similarity: 0.7, distance: 0.6),
        .init(path: "/m/4.flac", title: "Four", artist: "C", album: nil, durationSeconds: 1, role: .to,
              similarity: 0.1, distance: 1.6),
    ], steps: .init(mean: 0.9, largest: 1.6, even: 0.5, gapsAfter: [2]))

    func testEveryFormat() {
        Golden.assertMatches(Self.similar.rendered(.text), file: "similar.txt", in: Self.golden)
        Golden.assertMatches(Self.similar.rendered(.csv), file: "similar.csv", in: Self.golden)
        Golden.assertMatches(Self.similar.rendered(.json), file: "similar.json", in: Self.golden)
        Golden.assertMatches(Self.similar.rendered(.m3u8, playlistFolder: "/music"), file: "similar.m3u8", in: Self.golden)
        Golden.assertMatches(Self.path.rendered(.text), file: "path.txt", in: Self.golden)
    }

    func testJSONReadsBack() throws {
        let decoded = try JSONDecoder().decode(SongListDocument.self, from: Data(Self.path.rendered(.json).utf8))
        XCTAssertEqual(decoded, Self.path)
        XCTAssertEqual(Self.similar.paths, ["/music/a/seed.flac", "/music/b/near \"quoted\".flac", "/music/#far.flac"])
    }
}

extension SongListRenderingTests {
    /// The format follows the output file's extension, case-insensitively; anything else is text.
    func testFormatFromTheOutputFileExtension() {
        let cases: [(String?, SongListDocument.Format)] = [
            ("radio.m3u8", .m3u8), ("radio.M3U", .m3u8), ("/tmp/list.json", .json), ("a.b/list.CSV", .csv),
            ("list.xspf", .xspf), ("list.txt", .text), ("list", .text), ("m3u8", .text), (nil, .text), ("", .text),
        ]
        for (path, expected) in cases {
            XCTAssertEqual(SongListDocument.Format(outputPath: path), expected, path ?? "standard output")
        }
        for format in SongListDocument.Format.allCases {
            for fileExtension in format.fileExtensions {
                XCTAssertEqual(SongListDocument.Format(outputPath: "x." + fileExtension), format, fileExtension)
            }
        }
    }

    /// XSPF: every location an absolute `file://` URI of the exact bytes, text escaped, well-formed XML.
    func testXSPF() throws {
        let xspf = Self.similar.rendered(.xspf)
        Golden.assertMatches(xspf, file: "similar.xspf", in: Self.golden)
        XCTAssertNil(RendererGoldenTests.xmlError(xspf), "the playlist is well-formed XML")
        XCTAssertEqual(xspf.components(separatedBy: "<track>").count - 1, Self.similar.songs.count)
        XCTAssertTrue(xspf.contains("<location>file:///music/%23far.flac</location>"), xspf)
        XCTAssertTrue(xspf.contains("<title>#far</title>"), "an untagged song is named by its file name")
        XCTAssertTrue(xspf.contains("<creator>Band, The</creator>"))
        XCTAssertTrue(xspf.contains("<duration>200400</duration>"), "milliseconds")
    }
}
