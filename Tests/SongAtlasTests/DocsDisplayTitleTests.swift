import Export
import FilePaths
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// One display title in every text output: an untagged song whose file name is Latin-1
/// (`Café` with the byte 0xE9, not UTF-8) is named `Caf\xE9` everywhere a person or a
/// player reads it, and no ``RawPath`` escape character (U+10FE00…U+10FEFF) reaches a text file.
final class DocsDisplayTitleTests: XCTestCase {
    /// Two groups of three untagged songs, all named in Latin-1.
    static func latin1Library() -> [TrackAnalysis] {
        PlaylistBuilderTests.library(groups: 2, size: 3).tracks.enumerated().map { index, track in
            var untagged = track
            untagged.path = RawPath.string(Array("/music/Caf".utf8) + [0xE9] + Array(" \(index).flac".utf8))
            untagged.title = nil
            untagged.artist = nil
            untagged.album = nil
            return untagged
        }
    }

    /// The RawPath escape characters in `text`, as `U+XXXXXX` strings (empty when there are none).
    static func escapes(_ text: String) -> [String] {
        text.unicodeScalars.filter { $0.value & ~0xFF == 0x10FE00 }.map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    /// Every regular file in `folder` must be UTF-8 text free of escape characters.
    func assertNoEscapes(inFolder folder: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }
        XCTAssertFalse(names.isEmpty, "nothing written in \(folder)", file: file, line: line)
        for name in names {
            var isFolder: ObjCBool = false
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let text = try XCTUnwrap(String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .utf8),
                                     "\(name) is not UTF-8", file: file, line: line)
            XCTAssertEqual(Self.escapes(text), [], name, file: file, line: line)
        }
    }

    func testPlaylistsAndDendrogramNameLatin1SongsByTheirDisplayForm() throws {
        let tracks = Self.latin1Library()
        var builder = PlaylistBuilder()
        builder.clustering = PlaylistAlgorithm.agglomerative.defaultClustering
        builder.clusterCount = 2
        let (set, document) = try Atlas.playlists(tracks, builder: builder)
        let dendrogram = try XCTUnwrap(DendrogramDocument(set, tracks: tracks))
        XCTAssertEqual(Set(dendrogram.leaves.map(\.title)), Set((0..<6).map { "Caf\\xE9 \($0)" }))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = try OutputSet(folder: directory.path, name: "playlists")
        try PlaylistWriter.write(document, to: output, musicRoot: nil, dendrogram: dendrogram)
        try assertNoEscapes(inFolder: directory.path)
        let playlist = try String(contentsOfFile: directory.file(document.playlists[0].file), encoding: .utf8)
        XCTAssertTrue(playlist.contains("#EXTINF:180,Caf\\xE9 "), playlist)
        XCTAssertTrue(playlist.contains("file:///music/Caf%E9%20"), "the exact bytes stay in the location:\n\(playlist)")
        let svg = try String(contentsOfFile: directory.file("dendrogram.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains(">Caf\\xE9 0</text>"))
    }

    func testSimilarAndPathListsNameLatin1SongsByTheirDisplayForm() throws {
        let tracks = Self.latin1Library()
        var options = SimilarOptions(count: 3, maximumPerArtist: 0, maximumPerAlbum: 0)
        options.removesDuplicates = false
        let similar = try Atlas.similar(tracks, seeds: [tracks[0]], options: options)
        let path = try Atlas.path(tracks, anchors: [tracks[0], tracks[5]], length: 4, space: FeatureSpace())
        for document in [similar, path] {
            for format in SongListDocument.Format.allCases {
                let text = document.rendered(format, playlistFolder: "/music")
                XCTAssertEqual(Self.escapes(text), [], "\(document.kind) as \(format)")
            }
        }
        let text = similar.rendered(.text)
        XCTAssertTrue(text.hasPrefix("3 songs like Caf\\xE9 0 "), text)
        XCTAssertTrue(similar.rendered(.m3u8).contains("#EXTINF:180,Caf\\xE9 0\n"))
        XCTAssertEqual(try JSONOutput.decoder().decode(SongListDocument.self, from: Data(similar.rendered(.json).utf8)),
                       similar, "the exact paths read back from the URIs")
    }

    /// The song map of the Latin-1 library, written as `map.html` into `directory`; returns the page's path.
    private static func writeLatin1Map(into directory: TemporaryDirectory, musicRoot: String?) throws -> String {
        var map = SongMapBuilder()
        map.grid = (3, 2)
        var playlists = PlaylistBuilder()
        playlists.clusterCount = 2
        let document = try Atlas.songMap(latin1Library(), builder: map, playlists: playlists)
        let page = directory.file("map.html")
        try SongMapWriter.write(document, htmlPath: page, to: try SongMapWriter.outputSet(htmlPath: page),
                                musicRoot: musicRoot, title: "Café")
        return page
    }

    func testSongMapNamesLatin1SongsByTheirDisplayForm() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let page = try Self.writeLatin1Map(into: directory, musicRoot: nil)
        try assertNoEscapes(inFolder: directory.path)
        XCTAssertTrue(try String(contentsOfFile: page, encoding: .utf8).contains("Caf\\\\xE9 0"), "the title in the page's JSON")
    }
}

extension DocsDisplayTitleTests {
    /// The map page plays a Latin-1 song from the URI of its exact bytes (`%E9`), not of its escape characters.
    func testMapPagePlaysALatin1SongFromItsExactBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let page = try Self.writeLatin1Map(into: directory, musicRoot: "/music")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("\"file:///music/Caf%E9%200.flac\""), "the exact bytes, percent-encoded, as a source")
        XCTAssertFalse(html.contains("%F4%8F"), "no escape character's UTF-8 in a URI")
    }
}
