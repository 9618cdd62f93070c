import AudioDecoding
import Foundation
@testable import Library
import TestSupport
import XCTest

/// The album images of `scripts/make-cue-audio` (real recordings, not
/// committed), read as a scan will read them: each sheet's tracks must be
/// exactly the ranges the script wrote in `expected.tsv`. Skipped when the
/// images are not there (`$CUE_AUDIO_DIR`, else `~/.cache/songatlas/cue-audio`).
final class CueSheetAlbumImageTests: XCTestCase {
    private var folder: String {
        ProcessInfo.processInfo.environment["CUE_AUDIO_DIR"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache/songatlas/cue-audio")
    }

    /// expected.tsv's rows: track, title, audio file (relative), start and end sample.
    private func expected(_ album: String) throws -> [(track: Int, title: String, audio: String, start: Int, end: Int)] {
        let text = try String(contentsOfFile: album + "/expected.tsv", encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return (Int(fields[0])!, fields[1], album + "/" + fields[2], Int(fields[3])!, Int(fields[4])!)
        }
    }

    private func length(_ path: String) -> CueSheetAudioLength? {
        guard let info = try? AudioDecoder(path: path).info else { return nil }
        return CueSheetAudioLength(frameCount: info.declaredFrameCount, sampleRate: info.sampleRate)
    }

    func testEveryAlbumImageGivesTheRangesItWasMadeWith() throws {
        let albums = ["utf8", "1252", "wav-named", "embedded", "multifile"].map { folder + "/album-" + $0 }
        guard albums.allSatisfy({ FileManager.default.fileExists(atPath: $0 + "/expected.tsv") }) else {
            throw XCTSkip("no album images in \(folder) (scripts/make-cue-audio makes them)")
        }
        for album in albums {
            let sheet = album.hasSuffix("embedded")
                ? try CueSheet.embedded(text: try XCTUnwrap(AudioTags.embeddedCueSheet(path: album + "/Album.flac")),
                                        audioPath: album + "/Album.flac")
                : try CueSheet.read(path: album + "/Album.cue")
            let tracks = try sheet.tracks(lengths: length)
            let rows = try expected(album)
            XCTAssertEqual(tracks.map(\.trackNumber), rows.map(\.track), album)
            XCTAssertEqual(tracks.map(\.title), rows.map(\.title), album)
            XCTAssertEqual(tracks.map(\.audioPath), rows.map(\.audio), album)
            XCTAssertEqual(tracks.map(\.startSample), rows.map(\.start), album)
            XCTAssertEqual(tracks.map(\.endSample), rows.map(\.end), album)
            XCTAssertEqual(sheet.encoding, album.hasSuffix("1252") ? .windows1252 : .utf8, album)
        }
    }
}
