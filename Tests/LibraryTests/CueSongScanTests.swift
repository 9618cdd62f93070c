import AudioDecoding
import Foundation
@testable import Library
import TestSupport
import XCTest

/// The scan's cue wiring (``CueSongScan``, ``LibraryAnalyzer``): a small album
/// image generated here (three distinct 3-second tracks at 44.1 kHz in one
/// FLAC, a sheet beside it) becomes one song per track, each analysed over
/// its own range only; a bad sheet is one problem and the file one song.
final class CueSongScanTests: XCTestCase {
    var directory: TemporaryDirectory!
    let sampleRate = 44100
    let trackSeconds = 3

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// Track `index`'s samples: a tone whose pitch and loudness differ per track, with a little noise.
    static func trackSamples(_ index: Int) -> [Float] {
        let sampleRate = 44100, trackSeconds = 3
        let frequency = [220.0, 660.0, 1760.0][index]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(index)
        return (0..<(trackSeconds * sampleRate)).map { sample in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Float(Int64(bitPattern: state >> 11) % 1000) / 1000 * 0.02
            return Float(0.2 + 0.2 * Double(index)) * Float(sin(2 * Double.pi * frequency * Double(sample) / Double(sampleRate))) + noise
        }
    }

    /// `Album.flac` (the three tracks end to end, tagged with an artist and an album title), the
    /// loose tracks in `loose/`, and `Album.cue` with `sheetText` (the default: the three tracks).
    @discardableResult
    func makeAlbum(sheetText: String? = nil) throws -> (image: String, sheet: String, loose: [String]) {
        try Self.makeAlbum(in: directory.file("album"), sheetText: sheetText)
    }

    /// ``makeAlbum(sheetText:)`` in `albumFolder`.
    static func makeAlbum(in albumFolder: String, sheetText: String? = nil) throws -> (image: String, sheet: String, loose: [String]) {
        let sampleRate = 44100
        try FileManager.default.createDirectory(atPath: albumFolder + "/loose", withIntermediateDirectories: true)
        let image = albumFolder + "/Album.flac"
        try AudioFileWriter.write((0..<3).flatMap(trackSamples), to: image, sampleRate: sampleRate, format: .flac16,
                                  title: "Whole Album", artist: "Tag Artist", album: "Tag Album")
        var loose: [String] = []
        for index in 0..<3 {
            let path = albumFolder + "/loose/\(index + 1).flac"
            try AudioFileWriter.write(trackSamples(index), to: path, sampleRate: sampleRate, format: .flac16)
            loose.append(path)
        }
        let text = sheetText ?? """
            TITLE "Sheet Album"
            FILE "album.wav" WAVE
              TRACK 01 AUDIO
                TITLE "First"
                INDEX 01 00:00:00
              TRACK 02 AUDIO
                TITLE "Second"
                PERFORMER "Guest"
                INDEX 00 00:02:50
                INDEX 01 00:03:00
              TRACK 03 AUDIO
                TITLE "Third"
                INDEX 01 00:06:00

            """
        let sheet = albumFolder + "/Album.cue"
        try text.write(toFile: sheet, atomically: true, encoding: .utf8)
        return (image, sheet, loose)
    }

    func testEachTrackOfASheetIsOneSongAndTheImageIsNotAlsoWhole() throws {
        let album = try makeAlbum()
        let scan = CueSongScan.scan([directory.file("album")])
        XCTAssertEqual(scan.sheetProblems, [])
        let covered = scan.songs.filter { $0.path == album.image }
        XCTAssertEqual(covered.map(\.cueTrack?.trackNumber), [1, 2, 3], "no whole-file song for the image")
        let length = trackSeconds * sampleRate
        XCTAssertEqual(covered.map(\.frameRange), [0..<length, length..<(2 * length), (2 * length)..<(3 * length)])
        XCTAssertEqual(covered.map(\.cueTrack?.title), ["First", "Second", "Third"])
        XCTAssertEqual(covered.map(\.cueTrack?.performer), ["Tag Artist", "Guest", "Tag Artist"], "performer falls back to the tag")
        XCTAssertEqual(covered.map(\.cueTrack?.album), ["Sheet Album", "Sheet Album", "Sheet Album"])
        XCTAssertEqual(scan.songs.filter { $0.cueTrack == nil }.map(\.path), album.loose)
        XCTAssertEqual(scan.songs.count, 6)
    }

    func testIgnoringSheetsTakesEveryFileWhole() throws {
        let album = try makeAlbum()
        let scan = CueSongScan.scan([directory.file("album")], readCueSheets: false)
        XCTAssertEqual(scan.songs, ([album.image] + album.loose).map { ScannedSong(path: $0) })
        XCTAssertEqual(scan.sheetProblems, [])
    }

    func testARangeDecodesExactlyTheLooseTracksSamples() throws {
        let album = try makeAlbum()
        let song = try XCTUnwrap(CueSongScan.scan([directory.file("album")]).songs.first { $0.cueTrack?.trackNumber == 2 })
        let options = song.decodeOptions(DecodeOptions(outputSampleRate: sampleRate))
        let cut = try AudioDecoder(path: album.image, options: options).decodeAll()
        let loose = try AudioDecoder(path: album.loose[1], options: DecodeOptions(outputSampleRate: sampleRate)).decodeAll()
        XCTAssertEqual(cut.count, loose.count)
        XCTAssertEqual(maximumDifference(cut, loose).value, 0, "FLAC at its own rate: the same 16-bit samples")
    }

    func testEachCueTrackIsAnalysedOverItsRangeAndMatchesItsLooseFile() throws {
        let album = try makeAlbum()
        let analysis = LibraryAnalyzer.analyze(paths: [directory.file("album")], cache: nil, jobs: 2)
        XCTAssertEqual(analysis.failures, [])
        XCTAssertEqual(analysis.sheetProblems, [])
        let cueTracks = analysis.tracks.filter { $0.path == album.image }
        XCTAssertEqual(cueTracks.map(\.cueTrackNumber), [1, 2, 3])
        XCTAssertEqual(cueTracks.map(\.title), ["First", "Second", "Third"])
        XCTAssertEqual(cueTracks.map(\.trackNumber), [1, 2, 3])
        for track in cueTracks { XCTAssertEqual(track.durationSeconds, Double(trackSeconds), accuracy: 1e-9) }
        XCTAssertEqual(analysis.notes, [], "a range is no header that lies")
        for (index, loosePath) in album.loose.enumerated() {
            let loose = try XCTUnwrap(analysis.tracks.first { $0.path == loosePath })
            let cut = cueTracks[index]
            XCTAssertEqual(cut.summary.values.count, loose.summary.values.count)
            for (name, (a, b)) in zip(cut.summary.named.map(\.name), zip(cut.summary.values, loose.summary.values)) {
                // The same samples through the same resampler from the same start: equal up to float noise.
                XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b)), "track \(index + 1) \(name)")
            }
        }
        // Distinct tracks stay distinct: the cut did not take the whole file.
        XCTAssertNotEqual(cueTracks[0].summary.values, cueTracks[2].summary.values)
    }

    func testABadSheetIsOneProblemTheFileOneSongAndNothingIsWritten() throws {
        let album = try makeAlbum(sheetText: """
            FILE "Album.flac" WAVE
              TRACK 01 AUDIO
                INDEX 01 00:00:00
              TRACK 02 AUDIO
                INDEX 01 10:00:00

            """)
        let folder = directory.file("album")
        let before = try FileManager.default.subpathsOfDirectory(atPath: folder).sorted()
        let sheetBytes = try Data(contentsOf: URL(fileURLWithPath: album.sheet))
        let imageBytes = try Data(contentsOf: URL(fileURLWithPath: album.image))
        let analysis = LibraryAnalyzer.analyze(paths: [folder], cache: nil, jobs: 1)
        XCTAssertEqual(analysis.sheetProblems.count, 1)
        let problem = try XCTUnwrap(analysis.sheetProblems.first)
        XCTAssertEqual(problem.sheet, album.sheet)
        guard case let .trackPastEnd(track, startSeconds, audioSeconds) = problem.fault else {
            return XCTFail("\(problem)")
        }
        XCTAssertEqual(track, 2)
        XCTAssertEqual(startSeconds, 600, accuracy: 1e-9)
        XCTAssertEqual(audioSeconds, Double(3 * trackSeconds), accuracy: 1e-9)
        XCTAssertFalse(problem.description.contains("\n"), "one line")
        XCTAssertTrue(problem.description.hasPrefix(album.sheet), "names the sheet")
        let image = analysis.tracks.filter { $0.path == album.image }
        XCTAssertEqual(image.count, 1)
        XCTAssertNil(image.first?.cueTrack, "the image is analysed as one song")
        XCTAssertEqual(analysis.tracks.count, 4)
        XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: folder).sorted(), before)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: album.sheet)), sheetBytes)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: album.image)), imageBytes)
    }

    func testAnEmbeddedSheetSplitsItsOwnFile() throws {
        let album = try makeAlbum()
        try FileManager.default.removeItem(atPath: album.sheet)
        let embedded = "FILE \"rip.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nINDEX 01 00:04:00\n"
        let scan = CueSongScan.songs(of: AudioFileScanner.scanFolders([directory.file("album")])) { path in
            path == album.image ? embedded : nil
        }
        let covered = scan.songs.filter { $0.path == album.image }
        XCTAssertEqual(covered.map(\.frameRange), [0..<(4 * sampleRate), (4 * sampleRate)..<(9 * sampleRate)])
        XCTAssertEqual(covered.map(\.cueTrack?.isEmbedded), [true, true])
        XCTAssertEqual(covered.map(\.cueTrack?.title), [nil, nil], "the file's title is the album's, not a track's")
    }
}
