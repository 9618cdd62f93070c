import Export
import Foundation
import TestSupport
import XCTest

/// The segment documents are Export's own types, pinned by golden files (issue 20 item 4): a renamed
/// field of an algorithm's result cannot change them unnoticed. Re-record on purpose with
/// `SONGATLAS_RECORD_GOLDEN=1 swift test --filter SegmentDocumentGoldenTests`.
final class SegmentDocumentGoldenTests: XCTestCase {
    static let golden = Golden.folder(besides: #filePath)
    /// The golden files these tests compare with (``RendererGoldenTests/testEveryGoldenFileIsCompared()`` counts them).
    static let goldenFiles: Set<String> = ["segment-document.json", "segment-document.csv", "segment-document.txt",
                                           "segment-run.json"]

    /// A small document with every field: a non-UTF-8 path, a repeat, a highlight and a note.
    static let document = SegmentationDocument(
        path: "/music/caf\u{10FEE9}/Song.flac", method: "structure", durationSeconds: 30,
        sections: [SegmentSection(start: 0, end: 10, label: "A", confidence: 1),
                   SegmentSection(start: 10, end: 20, label: "B", confidence: 0.8125),
                   SegmentSection(start: 20, end: 30, label: "A", confidence: 0.5)],
        novelty: .init(times: [0, 0.5, 1], values: [0, 0.25, 1]),
        highlight: SegmentHighlight(start: 20, end: 25, label: "A", occurrences: 2,
                                    reason: SegmentHighlight.reason(label: "A", occurrences: 2, coversWholeTrack: false,
                                                                    durationSeconds: 30)),
        notes: ["a note"])

    func testSegmentDocumentInEveryFormat() throws {
        Golden.assertMatches(try Self.document.rendered(as: .json), file: "segment-document.json", in: Self.golden)
        Golden.assertMatches(try Self.document.rendered(as: .csv), file: "segment-document.csv", in: Self.golden)
        Golden.assertMatches(try Self.document.rendered(as: .audacity), file: "segment-document.txt", in: Self.golden)
    }

    func testSegmentRunDocument() throws {
        let run = SegmentRunDocument(
            method: "structure", format: .audacity,
            tracks: [.init(labelFile: "Song.txt", plotFile: "Song.html", segmentation: Self.document)],
            errors: [.init(path: "/music/broken.flac", error: "not an audio file")])
        Golden.assertMatches(try run.renderedJSON(), file: "segment-run.json", in: Self.golden)
        let read = try JSONOutput.decoder().decode(SegmentRunDocument.self, from: Data(try run.renderedJSON().utf8))
        XCTAssertEqual(read, run)
    }

    func testTheHighlightRowIsWrittenInEveryFormatAndSkippedWhenRead() throws {
        for format in SegmentFormat.allCases {
            let text = try Self.document.rendered(as: format)
            XCTAssertTrue(text.contains("most repeated section (A, 2 times)"), "\(format)")
            let read = try SegmentFile.parse(Data(text.utf8), name: "s.\(format.fileExtension)")
            XCTAssertEqual(read.map(\.label), ["A", "B", "A"], "\(format)")
            XCTAssertEqual(read.map(\.end), [10, 20, 30], "\(format)")
        }
        // Without a highlight the CSV keeps its four columns.
        var plain = Self.document
        plain.highlight = nil
        XCTAssertTrue(plain.renderedCSV().hasPrefix("start,end,label,confidence\n0.000000,"))
        XCTAssertFalse(plain.renderedAudacityLabels().contains("highlight"))
    }

    func testAHighlightWithoutAReasonReadsBackWithTheReasonItsFieldsImply() throws {
        let old = Data(#"{"start": 1, "end": 6, "label": "C", "occurrences": 1}"#.utf8)
        let read = try JSONDecoder().decode(SegmentHighlight.self, from: old)
        XCTAssertEqual(read.reason, "no repeats: the loudest section (C)")
        XCTAssertEqual(SegmentHighlight.reason(label: "B", occurrences: 3, coversWholeTrack: false, durationSeconds: 60),
                       "most repeated section (B, 3 times)")
        XCTAssertTrue(SegmentHighlight.reason(label: "A", occurrences: 1, coversWholeTrack: true, durationSeconds: 20)
            .hasPrefix("the whole track"))
    }

    func testFormatExtensions() {
        XCTAssertEqual(SegmentFormat.allCases.map(\.fileExtension), ["json", "csv", "txt"])
    }
}

/// The naming rule of `segment PATH... --out DIR`.
final class SegmentOutputNamesTests: XCTestCase {
    func testDistinctNamesKeepTheirFileName() {
        XCTAssertEqual(SegmentOutputNames.baseNames(["/m/a/Song.flac", "/m/b/Other.mp3"]), ["Song", "Other"])
    }

    func testOneNameInTwoFoldersTakesTheFolders() {
        XCTAssertEqual(SegmentOutputNames.baseNames(["/m/Album A/Song.flac", "/m/Album B/song.mp3", "/m/x/Solo.flac"]),
                       ["Album A - Song", "Album B - song", "Solo"])
        // Same folder name too: one more folder.
        XCTAssertEqual(SegmentOutputNames.baseNames(["/m/Artist 1/CD1/Song.flac", "/m/Artist 2/CD1/Song.flac"]),
                       ["Artist 1 - CD1 - Song", "Artist 2 - CD1 - Song"])
    }

    func testTheRunFilesNameIsNeverATracks() {
        XCTAssertEqual(SegmentOutputNames.baseNames(["/m/live/sections.flac"]), ["live - sections"])
        XCTAssertEqual(SegmentOutputNames.baseNames(["/sections.flac"]), ["sections 2"])
    }

    func testNamesThatStayEqualAreNumbered() {
        XCTAssertEqual(SegmentOutputNames.baseNames(["/m/Song.flac", "/m/Song.mp3"]), ["m - Song", "m - Song 2"])
    }

    func testNoTwoNamesAreEqualWithoutRegardToCase() {
        let paths = ["/a/x/Song.flac", "/b/x/song.flac", "/c/Song.wav", "/a/y/Song.flac", "/a/Other.flac"]
        let names = SegmentOutputNames.baseNames(paths)
        XCTAssertEqual(Set(names.map { $0.lowercased() }).count, paths.count, "\(names)")
        XCTAssertEqual(names.last, "Other")
    }
}
