@testable import Library
import TestSupport
import XCTest

/// ``CueSheetCoverage`` (which files a scan's sheets describe) and seeds resolved to a sheet and a track.
final class CueSheetCoverageTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func write(_ text: String, to relative: String) throws -> String {
        let path = directory.file(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func sheet(naming file: String, tracks: Int = 2) -> String {
        "FILE \"\(file)\" WAVE\n" + (1...tracks).map { "TRACK \($0) AUDIO\nINDEX 01 00:\($0 * 10):00\n" }.joined()
    }

    func testSheetsDescribeTheirFilesOnceAndProblemsAreOnePerSheet() throws {
        let image = try write("x", to: "a/Album.flac")
        let other = try write("x", to: "a/Other.flac")
        let loose = try write("x", to: "a/loose.flac")
        let tagged = try write("x", to: "b/tagged.flac")
        let first = try write(sheet(naming: "album.wav"), to: "a/1.cue")
        let second = try write(sheet(naming: "Album.flac"), to: "a/2.cue")
        let broken = try write(sheet(naming: "missing.flac"), to: "a/3.cue")
        let coverage = CueSheetCoverage.read(sheetPaths: [broken, second, first], audioFiles: [image, other, loose, tagged]) { path in
            path == tagged ? self.sheet(naming: "whatever.wav", tracks: 3) : nil
        }
        XCTAssertEqual(coverage.sheets.map(\.sheetPath), [first, tagged])
        XCTAssertEqual(coverage.sheet(describing: image)?.sheetPath, first, "album.wav is Album.flac, the only audio file of that stem")
        XCTAssertEqual(coverage.sheet(describing: tagged)?.isEmbedded, true)
        XCTAssertFalse(coverage.describes(loose))
        XCTAssertFalse(coverage.describes(other))
        XCTAssertEqual(coverage.problems, [
            CueSheetError(sheet: second, fault: .fileCoveredByAnotherSheet(audioPath: image, sheet: first)),
            CueSheetError(sheet: broken, line: 1, fault: .missingFile(name: "missing.flac")),
        ])
    }

    func testASheetBesideTheFileWinsOverItsTag() throws {
        let image = try write("x", to: "Album.flac")
        let cue = try write(sheet(naming: "Album.flac"), to: "Album.cue")
        var asked: [String] = []
        let coverage = CueSheetCoverage.read(sheetPaths: [cue], audioFiles: [image]) { path in
            asked.append(path)
            return self.sheet(naming: "x.wav", tracks: 5)
        }
        XCTAssertEqual(coverage.sheet(describing: image)?.sheetPath, cue)
        XCTAssertEqual(asked, [], "a described file's tags are not read")
    }

    func testSeedsResolveToTheirSheetAndTrack() throws {
        let image = try write("x", to: "Music/Album.flac")
        let cue = try write(sheet(naming: "ALBUM.FLAC", tracks: 3), to: "Music/Album.cue")
        _ = try write(sheet(naming: "Other.flac"), to: "Music/0-other.cue")    // unreadable (no Other.flac); not the one meant
        let length = CueSheetAudioLength(frameCount: 44100 * 60, sampleRate: 44100)
        for seed in [cue + "#2", image + "#02"] {
            let parsed = try CueSheetSeed.parse(seed)
            let sheet = try XCTUnwrap(try parsed.sheet(), seed)
            XCTAssertEqual(sheet.sheetPath, cue, seed)
            let track = try sheet.track(2) { _ in length }
            XCTAssertEqual(track.audioPath, image)
            XCTAssertEqual(track.startSample, 20 * 44100)
            XCTAssertEqual(track.endSample, 30 * 44100)
        }
        XCTAssertNil(try CueSheetSeed.parse(image).sheet(), "a whole file")
        XCTAssertThrowsError(try CueSheet.read(path: cue).track(7) { _ in length }) { error in
            XCTAssertEqual((error as? CueSheetError)?.fault, .noSuchTrack(track: 7, tracks: [1, 2, 3]))
        }
        let lonely = try write("x", to: "Elsewhere/lonely.wav")
        XCTAssertThrowsError(try CueSheetSeed.parse(lonely + "#1").sheet()) { error in
            XCTAssertEqual((error as? CueSheetError)?.fault, .noSheetCovers(audioPath: lonely))
        }
    }
}
