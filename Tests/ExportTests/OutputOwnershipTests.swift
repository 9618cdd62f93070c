@testable import Export
import FilePaths
import Foundation
import TestSupport
import XCTest

/// What an output may replace: files SongAtlas wrote and no one changed, never audio (by content,
/// through a probe the caller supplies), never a read-only file, and never one file for two outputs.
final class OutputOwnershipTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// A stand-in for the decoder: a file is audio when it starts with `fLaC`, whatever its name.
    struct MagicProbe: AudioContentProbe {
        func isAudio(atPath path: String) -> Bool {
            FileManager.default.contents(atPath: path)?.prefix(4) == Data("fLaC".utf8)
        }
    }

    private func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    private func leftovers(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
    }

    // MARK: output sets

    func testAForeignFileAtANameOfTheSetStopsItBeforeWriting() throws {
        let out = directory.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "{\"from\": \"another program\"}".write(toFile: out + "/playlists.json", atomically: false, encoding: .utf8)
        let set = try OutputSet(folder: out, name: "playlists")
        XCTAssertThrowsError(try set.check(["playlists.json", "playlists.csv"])) {
            XCTAssertEqual($0 as? OutputError, .foreignFile(path: out + "/playlists.json"))
        }
        try set.add("a.m3u8", "A")
        XCTAssertThrowsError(try set.add("playlists.json", "{}")) {
            XCTAssertEqual($0 as? OutputError, .foreignFile(path: out + "/playlists.json"))
        }
        set.abandon()
        XCTAssertEqual(try text(out + "/playlists.json"), "{\"from\": \"another program\"}")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/a.m3u8"))
        XCTAssertEqual(try leftovers(out), [])

        // Allowed, it is replaced.
        let allowed = try OutputSet(folder: out, name: "playlists", rules: OutputRules(replaceForeign: true))
        try allowed.add("playlists.json", "{}")
        try allowed.commit()
        XCTAssertEqual(try text(out + "/playlists.json"), "{}")
    }

    func testAFileThatAppearsDuringTheWorkIsCaughtAtCommit() throws {
        let out = directory.file("out")
        let set = try OutputSet(folder: out, name: "playlists")
        try set.add("01 - piano.m3u8", "#EXTM3U\n")
        try "#EXTM3U\nmine\n".write(toFile: out + "/01 - piano.m3u8", atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try set.commit()) {
            XCTAssertEqual($0 as? OutputError, .foreignFile(path: out + "/01 - piano.m3u8"))
        }
        XCTAssertEqual(try text(out + "/01 - piano.m3u8"), "#EXTM3U\nmine\n")
        XCTAssertEqual(try leftovers(out), [])
    }

    func testItsOwnUnchangedFilesAreReplacedAndEditedOnesAreForeign() throws {
        let out = directory.file("out")
        let first = try OutputSet(folder: out, name: "playlists")
        try first.add("a.m3u8", "A1")
        try first.add("b.m3u8", "B1")
        try first.commit()

        let second = try OutputSet(folder: out, name: "playlists")
        try second.check(["a.m3u8", "b.m3u8"])
        try second.add("a.m3u8", "A2")
        try second.commit()
        XCTAssertEqual(try text(out + "/a.m3u8"), "A2")

        // A person edits a.m3u8: the next run that would write it stops; one that does not keeps it and says so.
        try "A2, edited".write(toFile: out + "/a.m3u8", atomically: false, encoding: .utf8)
        let third = try OutputSet(folder: out, name: "playlists")
        XCTAssertThrowsError(try third.add("a.m3u8", "A3")) {
            XCTAssertEqual($0 as? OutputError, .foreignFile(path: out + "/a.m3u8"))
        }
        third.abandon()
        let fourth = try OutputSet(folder: out, name: "playlists")
        try fourth.add("c.m3u8", "C")
        XCTAssertEqual(try fourth.commit().keptChanged, ["a.m3u8"])
        XCTAssertEqual(fourth.report?.keptChanged, ["a.m3u8"])
        XCTAssertEqual(try text(out + "/a.m3u8"), "A2, edited")
    }

    func testTwoFilesOfOneNameInASetAreRefused() throws {
        let set = try OutputSet(folder: directory.file("out"), name: "map-x")
        try set.add("x.svg", "one")
        XCTAssertThrowsError(try set.add("x.svg", "two")) {
            XCTAssertEqual($0 as? OutputError, .sameDestination(path: directory.file("out/x.svg")))
        }
    }

    // MARK: audio, by content

    func testAudioIsRefusedByContentWhateverItsName() throws {
        let song = directory.file("mysong")
        let bytes = Data("fLaC".utf8) + Data(repeating: 7, count: 100)
        try bytes.write(to: URL(fileURLWithPath: song))
        let rules = OutputRules(replaceForeign: true, audioProbe: MagicProbe())
        XCTAssertThrowsError(try OutputDestination.resolve(song, rules: rules)) {
            XCTAssertEqual($0 as? OutputError, .audioFile(path: song))
        }
        XCTAssertTrue("\(OutputError.audioFile(path: song))".contains("is an audio file"))
        // Through a symbolic link, and as a member of a set.
        let link = directory.file("report.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: song)
        XCTAssertThrowsError(try OutputDestination.resolve(link, rules: rules)) {
            XCTAssertEqual($0 as? OutputError, .audioFile(path: link))
        }
        let set = try OutputSet(folder: directory.path, name: "x", rules: rules)
        XCTAssertThrowsError(try set.check(["mysong"])) {
            XCTAssertEqual($0 as? OutputError, .audioFile(path: song))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: song)), bytes)

        // A text file named like a song is not audio: replaced when foreign files may be.
        let named = directory.file("notes.flac")
        try "text".write(toFile: named, atomically: false, encoding: .utf8)
        try OutputDestination.resolve(named, rules: rules).write("report")
        XCTAssertEqual(try text(named), "report")
    }

    // MARK: read-only, even for root

    func testAFileNoOneMayWriteIsRefusedEvenWithReplaceForeign() throws {
        let path = directory.file("out.json")
        try "keep".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o444)
        XCTAssertThrowsError(try OutputDestination.resolve(path, rules: OutputRules(replaceForeign: true))) {
            XCTAssertEqual($0 as? OutputError, .readOnly(path: path))
        }
        XCTAssertTrue("\(OutputError.readOnly(path: path))".contains("even as root"))
        let set = try OutputSet(folder: directory.path, name: "x", rules: OutputRules(replaceForeign: true))
        XCTAssertThrowsError(try set.add("out.json", "new")) {
            XCTAssertEqual($0 as? OutputError, .readOnly(path: path))
        }
        XCTAssertEqual(try text(path), "keep")
    }

    // MARK: single files and several outputs

    func testASingleFileIsRecordedAsItsOwnAndReplacedNextTime() throws {
        let path = directory.file("report.json")
        try OutputDestination.resolve(path).write("one")
        try OutputDestination.resolve(path).write("two")
        XCTAssertEqual(try text(path), "two")
        try "edited".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try OutputDestination.resolve(path)) {
            XCTAssertEqual($0 as? OutputError, .foreignFile(path: path))
        }
    }

    func testTwoOutputsToOneFileAreRefused() throws {
        try FileManager.default.createDirectory(atPath: directory.file("sub"), withIntermediateDirectories: true)
        let first = try OutputDestination.resolve(directory.file("same.svg"))
        let second = try OutputDestination.resolve(directory.file("sub/../same.svg"))
        XCTAssertThrowsError(try OutputDestination.requireDistinct([first, second])) {
            XCTAssertEqual($0 as? OutputError, .sameDestination(path: directory.file("sub/../same.svg")))
        }
        XCTAssertThrowsError(try OutputDestination.writeTogether([(first, Data("a".utf8)), (second, Data("b".utf8))]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("same.svg")))
        XCTAssertNoThrow(try OutputDestination.requireDistinct([first, try OutputDestination.resolve("-")]))
    }

    func testOutputsWrittenTogetherLandTogetherOrNotAtAll() throws {
        let report = directory.file("out.json")
        let plot = directory.file("plots/full.svg")
        try OutputDestination.writeTogether([(try OutputDestination.resolve(report), Data("report 1".utf8)),
                                             (try OutputDestination.resolve(plot), Data("plot 1".utf8))])
        XCTAssertEqual(try text(report), "report 1")
        XCTAssertEqual(try text(plot), "plot 1")

        // The plot cannot be written (a file of someone else's appeared there): the report stays as it was.
        let reportDestination = try OutputDestination.resolve(report)
        let plotDestination = try OutputDestination.resolve(plot)
        try "someone else's".write(toFile: plot, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try OutputDestination.writeTogether([(reportDestination, Data("report 2".utf8)),
                                                                  (plotDestination, Data("plot 2".utf8))])) {
            XCTAssertEqual($0 as? OutputError, .foreignFile(path: plot))
        }
        XCTAssertEqual(try text(report), "report 1")
        XCTAssertEqual(try text(plot), "someone else's")
        XCTAssertEqual(try leftovers(directory.path), [])
        XCTAssertEqual(try leftovers(directory.file("plots")), [])
    }

    // MARK: names

    func testNonUTF8PathsRoundTripThroughTheirURI() throws {
        let latin1 = "/music/" + RawPath.string(Array("caf".utf8) + [0xE9] + Array(" 1.flac".utf8))
        XCTAssertEqual(PathURI.uri(latin1), "file:///music/caf%E9%201.flac")
        XCTAssertEqual(PathURI.path(fromURI: "file:///music/caf%E9%201.flac"), latin1)
        XCTAssertEqual(PathURI.path(fromURI: "file://localhost/music/caf%E9%201.flac"), latin1)
        XCTAssertNil(PathURI.path(fromURI: "file:///music/bad%E"))
        XCTAssertNil(PathURI.path(fromURI: "file:///music/nul%00"))
        XCTAssertNil(PathURI.uri("/music/café.flac"), "a UTF-8 path is its own text")

        let track = PlaylistDocument.Track(path: latin1, title: nil, artist: nil, album: nil, durationSeconds: 1,
                                           distanceToCentroid: 0)
        let json = try JSONOutput.encoder().encode(track)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(object["path"] as? String, "/music/caf\\xE9 1.flac")
        XCTAssertEqual(object["uri"] as? String, "file:///music/caf%E9%201.flac")
        XCTAssertEqual(try JSONDecoder().decode(PlaylistDocument.Track.self, from: json).path, latin1)

        let song = SongListDocument.Song(path: latin1, title: nil, artist: nil, album: nil, durationSeconds: 1,
                                         role: .similar, seed: latin1)
        let decoded = try JSONDecoder().decode(SongListDocument.Song.self, from: JSONOutput.encoder().encode(song))
        XCTAssertEqual(decoded, song)
        let rows = CSVTable.parse(SongListDocument(kind: .similar, features: .embedding, songs: [song], notes: [])
            .rendered(.csv))
        XCTAssertEqual(rows[0].last, "uri")
        XCTAssertEqual(rows[1].last.flatMap(PathURI.path(fromURI:)), latin1)
    }

    func testEveryDocumentWithAPathGivesItsURI() throws {
        let latin1 = "/music/" + RawPath.string(Array("caf".utf8) + [0xE9] + Array(".flac".utf8))
        let uri = "file:///music/caf%E9.flac"
        func object<T: Encodable>(_ value: T) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: JSONOutput.encoder().encode(value)) as? [String: Any])
        }
        let placed = SongMapDocument.Song(path: latin1, title: nil, artist: nil, cluster: 0, unit: 1, gridX: 0, gridY: 1,
                                          x: 0.5, y: 1.5)
        XCTAssertEqual(try object(placed)["uri"] as? String, uri)
        XCTAssertEqual(try JSONDecoder().decode(SongMapDocument.Song.self, from: JSONOutput.encoder().encode(placed)), placed)

        let leaf = DendrogramDocument.Leaf(id: 0, path: latin1, title: "caf\\xE9", playlist: 1)
        XCTAssertEqual(try object(leaf)["uri"] as? String, uri)
        XCTAssertEqual(try JSONDecoder().decode(DendrogramDocument.Leaf.self, from: JSONOutput.encoder().encode(leaf)), leaf)

        let segmentation = SegmentationDocument(path: latin1, method: "structure", durationSeconds: 1, sections: [],
                                                novelty: .init(times: [], values: []), notes: [])
        XCTAssertEqual(try object(segmentation)["path"] as? String, "/music/caf\\xE9.flac")
        XCTAssertEqual(try object(segmentation)["uri"] as? String, uri)
        XCTAssertEqual(try JSONDecoder().decode(SegmentationDocument.self,
                                                from: Data(segmentation.renderedJSON().utf8)).path, latin1)
    }

    func testCSVParsingInvertsRendering() {
        var table = CSVTable(header: ["path", "label"])
        table.append(["/m/a, \"b\".flac", "x"])
        table.append(["line\nbreak", ""])
        XCTAssertEqual(CSVTable.parse(table.rendered()), [["path", "label"], ["/m/a, \"b\".flac", "x"], ["line\nbreak", ""]])
        XCTAssertEqual(CSVTable.parse("a,b\r\n1,2\r\n\r\n"), [["a", "b"], ["1", "2"]])
    }
}
