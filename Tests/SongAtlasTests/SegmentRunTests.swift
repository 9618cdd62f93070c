import Clustering
import Export
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// `Atlas.segment(paths:request:to:)`: many files at once (issue 24 item 4), through the library alone.
final class SegmentRunTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func sample(_ name: String) -> String { AtlasSampleLibrary.folder.appendingPathComponent(name).path }

    /// A music folder: two tracks named `song.flac` in two album folders, one other track, and a damaged file.
    private func musicFolder() throws -> String {
        let music = directory.file("music")
        let manager = FileManager.default
        for folder in ["Album A", "Album B"] {
            try manager.createDirectory(atPath: music + "/" + folder, withIntermediateDirectories: true)
        }
        try manager.copyItem(atPath: sample("structured-abab.flac"), toPath: music + "/Album A/song.flac")
        try manager.copyItem(atPath: sample("structured-abca.flac"), toPath: music + "/Album B/song.flac")
        try manager.copyItem(atPath: sample("structured-abaca.flac"), toPath: music + "/Album B/other.flac")
        try Data("not audio at all".utf8).write(to: URL(fileURLWithPath: music + "/Album B/broken.flac"))
        return music
    }

    private func names(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
    }

    func testAFolderGivesOneLabelFileAndPlotPerTrackAndSectionsJSON() throws {
        let music = try musicFolder()
        let out = directory.file("labels")
        var request = SegmentRunRequest()
        request.plot = .html
        request.segmenter.highlightSeconds = 5
        request.jobs = 2
        let cache = try FeatureCache(path: directory.file("cache.sqlite"))
        let run = try Atlas.segment(paths: [music], request: request, to: out, cache: cache)

        XCTAssertEqual(try names(in: out), ["Album A - song.html", "Album A - song.txt", "Album B - song.html",
                                            "Album B - song.txt", "other.html", "other.txt", "sections.json"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/.songatlas-segments.manifest.json"))
        // In scan order: folders sorted, and in each folder the files sorted.
        XCTAssertEqual(run.document.tracks.map(\.labelFile), ["Album A - song.txt", "other.txt", "Album B - song.txt"])
        XCTAssertEqual(run.document.errors.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["broken.flac"])
        XCTAssertFalse(run.document.errors[0].error.isEmpty)

        // Each track's files are what `segment FILE` gives it alone.
        var segmenter = TrackSegmenter()
        segmenter.highlightSeconds = 5
        for track in run.document.tracks {
            let (document, plot) = try Atlas.segment(path: track.segmentation.path, segmenter: segmenter)
            XCTAssertEqual(track.segmentation, document)
            XCTAssertEqual(try String(contentsOfFile: out + "/" + track.labelFile, encoding: .utf8),
                           document.renderedAudacityLabels())
            XCTAssertEqual(try String(contentsOfFile: out + "/" + (track.plotFile ?? ""), encoding: .utf8), plot.html())
            XCTAssertTrue(document.renderedAudacityLabels().contains("\thighlight: "))
        }
        // sections.json reads back as the run's document.
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/sections.json"))
        XCTAssertEqual(try JSONOutput.decoder().decode(SegmentRunDocument.self, from: data), run.document)
        // The decode that segmented each track also stored its summary.
        XCTAssertEqual(try cache.loadAll().count, 3)
    }

    func testTheFormatGivesTheExtensionAndARunReplacesItsOwnSet() throws {
        let out = directory.file("out")
        var request = SegmentRunRequest()
        request.format = .csv
        _ = try Atlas.segment(paths: [sample("structured-abab.flac"), sample("structured-abca.flac")], request: request, to: out)
        XCTAssertEqual(try names(in: out), ["sections.json", "structured-abab.csv", "structured-abca.csv"])

        // A second run of other tracks replaces the first run's files (its own set) with its own.
        request.format = .json
        _ = try Atlas.segment(paths: [sample("structured-abaca.flac")], request: request, to: out)
        XCTAssertEqual(try names(in: out), ["sections.json", "structured-abaca.json"])
        let written = try Data(contentsOf: URL(fileURLWithPath: out + "/structured-abaca.json"))
        XCTAssertEqual(try JSONOutput.decoder().decode(SegmentationDocument.self, from: written).sections.map(\.label).count,
                       try SegmentFile.parse(written, name: "structured-abaca.json").count)
    }

    func testAForeignFileStopsTheRunBeforeAnythingIsWritten() throws {
        let out = directory.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/structured-abab.txt"))
        XCTAssertThrowsError(try Atlas.segment(paths: [sample("structured-abab.flac")], request: SegmentRunRequest(), to: out)) {
            guard case OutputError.foreignFile = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try names(in: out), ["structured-abab.txt"])
        XCTAssertEqual(try String(contentsOfFile: out + "/structured-abab.txt", encoding: .utf8), "mine")

        _ = try Atlas.segment(paths: [sample("structured-abab.flac")], request: SegmentRunRequest(), to: out,
                              rules: OutputRules(replaceForeign: true))
        XCTAssertTrue(try String(contentsOfFile: out + "/structured-abab.txt", encoding: .utf8).hasPrefix("0.000000\t"))
    }

    func testNoTrackWritesNothing() throws {
        let bad = directory.file("broken.flac")
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: bad))
        let out = directory.file("out")
        XCTAssertThrowsError(try Atlas.segment(paths: [bad], request: SegmentRunRequest(), to: out)) {
            XCTAssertEqual($0 as? SegmentRunError, .noTracks(failures: 1))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/sections.json"))
    }
}
