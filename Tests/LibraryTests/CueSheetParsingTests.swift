@testable import Library
import XCTest

/// ``CueSheet/parse(text:sheetPath:encoding:isEmbedded:)`` and ``CueSheet/tracks(lengths:)``: ranges at 1/75 s and every fault.
final class CueSheetParsingTests: XCTestCase {
    private let sheetPath = "/music/Album/album.cue"

    private let album = """
        REM GENRE Soundtrack
        PERFORMER "The Band"
        TITLE "The Album"
        FILE "album.flac" WAVE
          TRACK 01 AUDIO
            TITLE "One"
            INDEX 01 00:00:00
          TRACK 02 AUDIO
            TITLE "Two"
            PERFORMER "Guest"
            INDEX 00 02:58:50
            INDEX 01 03:00:12
          TRACK 03 AUDIO
            title Three Words Unquoted
            PREGAP 00:02:00
            INDEX 01 07:15:74

        """

    private func parse(_ text: String) throws -> CueSheet {
        try CueSheet.parse(text: text, sheetPath: sheetPath)
    }

    /// The fault `text` gives, checking that the error names the sheet.
    private func fault(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> CueSheetError? {
        do throws(CueSheetError) {
            _ = try CueSheet.parse(text: text, sheetPath: sheetPath)
            XCTFail("no error", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.sheet, sheetPath, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(sheetPath + ": "), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "one line", file: file, line: line)
            return error
        }
    }

    func testAlbumTitlesAndIndexes() throws {
        let sheet = try parse(album)
        XCTAssertEqual(sheet.title, "The Album")
        XCTAssertEqual(sheet.performer, "The Band")
        XCTAssertEqual(sheet.files.map(\.name), ["album.flac"])
        XCTAssertEqual(sheet.files.map(\.type), ["WAVE"])
        XCTAssertEqual(sheet.tracks.map(\.number), [1, 2, 3])
        XCTAssertEqual(sheet.tracks.map(\.title), ["One", "Two", "Three Words Unquoted"])
        XCTAssertEqual(sheet.tracks.map(\.performer), [nil, "Guest", nil])
        XCTAssertEqual(sheet.tracks[1].indexes.map(\.number), [0, 1])
        XCTAssertEqual(sheet.tracks[1].start?.frames, (3 * 60 + 0) * 75 + 12)
        XCTAssertEqual(sheet.tracks[2].pregapFrames, 2 * 75)
        XCTAssertEqual(sheet.tracks[2].start?.frames, (7 * 60 + 15) * 75 + 74)
    }

    func testTracksRunFromIndex01ToTheNextIndex01AtFramePrecision() throws {
        var sheet = try parse(album)
        sheet.files[0].path = "/music/Album/album.flac"
        for rate in [44100, 48000, 96000] {
            let fileFrames = 10 * 60 * rate
            let tracks = try sheet.tracks { $0 == "/music/Album/album.flac" ? CueSheetAudioLength(frameCount: fileFrames, sampleRate: rate) : nil }
            let perFrame = rate / 75
            XCTAssertEqual(tracks.map(\.trackNumber), [1, 2, 3])
            XCTAssertEqual(tracks.map(\.startSample), [0, (180 * 75 + 12) * perFrame, (435 * 75 + 74) * perFrame], "rate \(rate)")
            XCTAssertEqual(tracks.map(\.endSample), [(180 * 75 + 12) * perFrame, (435 * 75 + 74) * perFrame, fileFrames],
                           "INDEX 00 and PREGAP move no boundary; the last track runs to the end (rate \(rate))")
            XCTAssertEqual(tracks[1].startSeconds, 180 + 12.0 / 75, accuracy: 1e-9)
            XCTAssertEqual(tracks.map(\.album), ["The Album", "The Album", "The Album"])
            XCTAssertEqual(tracks.map(\.performer), ["The Band", "Guest", "The Band"], "the album's performer where the track has none")
            XCTAssertTrue(tracks.allSatisfy { $0.sampleRate == rate && $0.sheetPath == sheetPath && !$0.isEmbedded })
        }
    }

    func testMultiFileSheetPlacesEachSongInTheFileOfItsIndex01() throws {
        // EAC's layout: track 2's pregap (INDEX 00) at the end of the first file, its INDEX 01 at the start of the second.
        var sheet = try parse("""
            FILE "01 - One.wav" WAVE
              TRACK 01 AUDIO
                INDEX 01 00:00:00
              TRACK 02 AUDIO
                INDEX 00 03:00:00
            FILE "02 - Two.wav" WAVE
                INDEX 01 00:00:00
              TRACK 03 AUDIO
                INDEX 01 02:00:00
            FILE "03 - Data.bin" BINARY
              TRACK 04 MODE1/2352
                INDEX 01 00:00:00
            """)
        XCTAssertEqual(sheet.tracks.compactMap { $0.start?.file }, [0, 1, 1, 2])
        sheet.files[0].path = "/a/one.wav"
        sheet.files[1].path = "/a/two.wav"
        let lengths = ["/a/one.wav": CueSheetAudioLength(frameCount: 44100 * 181, sampleRate: 44100),
                       "/a/two.wav": CueSheetAudioLength(frameCount: 48000 * 300, sampleRate: 48000)]
        let tracks = try sheet.tracks { lengths[$0] }
        XCTAssertEqual(tracks.map(\.trackNumber), [1, 2, 3], "the data track is no song")
        XCTAssertEqual(tracks.map(\.audioPath), ["/a/one.wav", "/a/two.wav", "/a/two.wav"])
        XCTAssertEqual(tracks[0].endSample, 44100 * 181, "a track ends at its file's end when the next starts in another file")
        XCTAssertEqual(tracks[1].startSample, 0)
        XCTAssertEqual(tracks[1].endSample, 48000 * 120)
        XCTAssertEqual(tracks[2].endSample, 48000 * 300)
    }

    func testLineEndingsCaseAndUnquotedFileNames() throws {
        let sheet = try parse("file My Album.flac wave\r\ntrack 1 audio\r\nindex 1 0:0:0\rTRACK 2 AUDIO\nINDEX 01 1:02:03\r\n")
        XCTAssertEqual(sheet.files.map(\.name), ["My Album.flac"])
        XCTAssertEqual(sheet.files.map(\.type), ["WAVE"])
        XCTAssertEqual(sheet.tracks.compactMap { $0.start?.frames }, [0, 62 * 75 + 3])
        XCTAssertEqual(sheet.files.map(\.line), [1])
        XCTAssertEqual(sheet.tracks.map(\.line), [2, 4], "CR LF and a lone CR each end one line")
    }

    func testEveryFaultIsOneErrorNamingTheSheetAndTheFault() {
        let file = "FILE \"a.flac\" WAVE\n"
        XCTAssertEqual(fault(file + "TRACK 02 AUDIO\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nINDEX 01 01:00:00\n")?.fault,
                       .trackNumberNotIncreasing(track: 2, previous: 2))
        XCTAssertEqual(fault(file + "TRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nINDEX 01 00:00:00\n")?.fault,
                       .indexBeforeEarlierIndex(track: 2, index: 1, frames: 0, earlierTrack: 1, earlierIndex: 1, earlierFrames: 0),
                       "two tracks starting together: non-increasing")
        let overlap = fault(file + "TRACK 01 AUDIO\nINDEX 01 01:00:00\nTRACK 02 AUDIO\nINDEX 00 00:59:00\nINDEX 01 02:00:00\n")
        XCTAssertEqual(overlap?.fault, .indexBeforeEarlierIndex(track: 2, index: 0, frames: 59 * 75, earlierTrack: 1, earlierIndex: 1,
                                                                earlierFrames: 60 * 75))
        XCTAssertEqual(overlap?.line, 5)
        XCTAssertTrue(overlap?.description.contains("00:59:00") ?? false, overlap?.description ?? "")
        XCTAssertEqual(fault(file + "TRACK 01 AUDIO\nINDEX 01 00:00:00\nINDEX 00 00:00:00\n")?.fault,
                       .indexNumberNotIncreasing(track: 1, index: 0, previous: 1))
        XCTAssertEqual(fault(file + "TRACK 01 AUDIO\nINDEX 00 00:00:00\n")?.fault, .missingIndex01(track: 1))
        XCTAssertEqual(fault("TRACK 01 AUDIO\nINDEX 01 00:00:00\n")?.line, 1, "TRACK before FILE")
        XCTAssertEqual(fault(file + "TRACK 01 AUDIO\nINDEX 01 00:60:00\n")?.line, 3, "seconds of 60")
        XCTAssertEqual(fault(file + "TRACK 01 AUDIO\nINDEX 01 00:00:75\n")?.line, 3, "frame 75")
        XCTAssertEqual(fault(file + "TRACK 00 AUDIO\nINDEX 01 00:00:00\n")?.line, 2, "track 0")
        XCTAssertEqual(fault("REM only a comment\n")?.fault, .noTracks)
        XCTAssertEqual(fault(file + "TRACK 01 MODE1/2352\nINDEX 01 00:00:00\n")?.fault, .noTracks, "data tracks only")
    }

    func testASheetOfTenThousandTracksIsRefused() {
        var text = "FILE \"a.flac\" WAVE\n"
        for track in 1...10_000 {
            text += "TRACK \(track) AUDIO\nINDEX 01 \(track / 60 / 75):\(track / 75 % 60):\(track % 75)\n"
        }
        let error = fault(text)
        XCTAssertEqual(error?.fault, .tooManyTracks(limit: CueSheet.trackLimit))
        XCTAssertEqual(error?.line, 2 + 2 * CueSheet.trackLimit, "the first TRACK over the limit")
    }

    func testTrackPastTheEndOfTheAudio() throws {
        var sheet = try parse(album)
        sheet.files[0].path = "/music/Album/album.flac"
        let short = CueSheetAudioLength(frameCount: 44100 * 300, sampleRate: 44100)    // 5 minutes: track 3 starts at 7:15
        XCTAssertThrowsError(try sheet.tracks { _ in short }) { error in
            guard let error = error as? CueSheetError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.sheet, sheetPath)
            guard case .trackPastEnd(let track, let start, let audio) = error.fault else { return XCTFail("\(error)") }
            XCTAssertEqual(track, 3)
            XCTAssertEqual(start, 435 + 74.0 / 75, accuracy: 1e-9)
            XCTAssertEqual(audio, 300, accuracy: 1e-9)
            XCTAssertTrue(error.description.contains("track 3 starts at 435.99 s, past the end of its audio (300.00 s)"), error.description)
        }
        XCTAssertThrowsError(try sheet.tracks { _ in nil }) { error in
            XCTAssertEqual((error as? CueSheetError)?.fault, .unknownAudioLength(path: "/music/Album/album.flac"))
        }
    }

    func testBinaryAndOversizedBytes() {
        XCTAssertThrowsError(try CueSheet.parse(bytes: [0x66, 0x4C, 0x61, 0x43, 0, 0, 0, 0x22], sheetPath: sheetPath)) { error in
            XCTAssertEqual((error as? CueSheetError)?.fault, .notText)
            XCTAssertEqual("\(error)", "\(sheetPath): not a cue sheet: the file is binary, not text")
        }
        let large = [UInt8](repeating: 0x20, count: CueSheet.byteLimit + 1)
        XCTAssertThrowsError(try CueSheet.parse(bytes: large, sheetPath: sheetPath)) { error in
            XCTAssertEqual((error as? CueSheetError)?.fault, .tooLarge(byteCount: CueSheet.byteLimit + 1, limit: CueSheet.byteLimit))
        }
    }

    func testEmbeddedSheetLiesInItsOwnFile() throws {
        let sheet = try CueSheet.embedded(text: album, audioPath: "/music/image.flac")
        XCTAssertTrue(sheet.isEmbedded)
        XCTAssertEqual(sheet.files[0].path, "/music/image.flac", "the FILE name is the file's name when the sheet was made")
        let tracks = try sheet.tracks { _ in CueSheetAudioLength(frameCount: 44100 * 600, sampleRate: 44100) }
        XCTAssertEqual(tracks.map(\.sheetPath), Array(repeating: "/music/image.flac", count: 3))
        XCTAssertTrue(tracks.allSatisfy(\.isEmbedded))
        let twoFiles = "FILE a.wav WAVE\nTRACK 1 AUDIO\nINDEX 01 00:00:00\nFILE b.wav WAVE\nTRACK 2 AUDIO\nINDEX 01 00:00:00\n"
        XCTAssertThrowsError(try CueSheet.embedded(text: twoFiles, audioPath: "/music/image.flac")) { error in
            XCTAssertEqual((error as? CueSheetError)?.fault, .embeddedSheetNamesSeveralFiles(count: 2))
        }
    }
}

extension CueSheetParsingTests {
    func testTwoFileLinesNamingOneFileMustNotOverlap() throws {
        var sheet = try CueSheet.parse(text: """
            FILE "a.wav" WAVE
            TRACK 01 AUDIO
            INDEX 01 00:00:00
            TRACK 02 AUDIO
            INDEX 01 01:00:00
            FILE "A.WAV" WAVE
            TRACK 03 AUDIO
            INDEX 01 00:30:00
            """, sheetPath: "/m/x.cue")
        sheet.files[0].path = "/m/a.wav"
        sheet.files[1].path = "/m/a.wav"
        XCTAssertThrowsError(try sheet.tracks { _ in CueSheetAudioLength(frameCount: 44100 * 120, sampleRate: 44100) }) { error in
            XCTAssertEqual((error as? CueSheetError)?.fault, .indexBeforeEarlierIndex(
                track: 3, index: 1, frames: 30 * 75, earlierTrack: 2, earlierIndex: 1, earlierFrames: 60 * 75))
        }
    }
}
