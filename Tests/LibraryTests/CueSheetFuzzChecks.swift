// The checks of the `cue` fuzz target (Fuzz/CueSheetFuzzer.swift), shared with
// CueSheetFuzzRegressionTests, which replays Fuzz/cue-corpus and
// Fuzz/cue-findings. scripts/fuzz compiles this file with the target, so it
// imports only Library and Foundation.
//
// The bytes go through every entry point of the sheet reader that takes text:
// CueSheet.parse(bytes:), CueSheet.embedded(text:), CueSheet.tracks(lengths:)
// at two file lengths, and CueSheetSeed.parse on the first line.
import Foundation
@testable import Library

/// What any bytes given as a cue sheet must give: a checked sheet or one error naming the sheet, never a trap.
enum CueSheetFuzzChecks {
    struct Violation: Error, CustomStringConvertible {
        var description: String
    }

    static let sheetPath = "/music/fuzz.cue"
    static let audioPath = "/music/fuzz.flac"
    /// A 10-minute file at 44.1 kHz, and a 1-second one at 32 kHz (a rate that is not a multiple of 75).
    static let lengths = [CueSheetAudioLength(frameCount: 44100 * 600, sampleRate: 44100),
                          CueSheetAudioLength(frameCount: 32000, sampleRate: 32000)]

    /// The sheet the reader accepts for `bytes`, with every file resolved to ``audioPath``.
    static func sheet(_ bytes: [UInt8]) -> CueSheet? {
        guard var sheet = try? CueSheet.parse(bytes: bytes, sheetPath: sheetPath) else { return nil }
        for index in sheet.files.indices { sheet.files[index].path = audioPath + "#\(index)" }
        return sheet
    }

    /// Reads `bytes` as a sheet and checks what comes out.
    ///
    /// - Throws: ``Violation`` when an error does not name the sheet on one line, or an
    ///   accepted sheet gives tracks out of order, empty, overlapping or outside the file.
    static func check(_ bytes: [UInt8]) throws {
        func checkError(_ error: CueSheetError, sheet: String) throws {
            let text = error.description
            guard error.sheet == sheet, text.hasPrefix(sheet + ": "), !text.contains("\n"), !text.contains("\r") else {
                throw Violation(description: "an error that is not one line naming \(sheet): \(text.debugDescription)")
            }
        }
        do {
            _ = try CueSheet.parse(bytes: bytes, sheetPath: sheetPath)
        } catch {
            try checkError(error, sheet: sheetPath)
        }
        if let decoded = CueSheetText.decode(bytes) {
            var embedded: CueSheet?
            do {
                embedded = try CueSheet.embedded(text: decoded.text, audioPath: audioPath)
            } catch {
                try checkError(error, sheet: audioPath)
            }
            for length in lengths {
                guard let embedded else { break }
                do {
                    try checkTracks(try embedded.tracks { _ in length }, sheet: embedded, length: length)
                } catch let error as CueSheetError {
                    try checkError(error, sheet: audioPath)
                }
            }
            if let firstLine = CueSheet.lines(of: decoded.text).first {
                if case .track(let path, let track)? = try? CueSheetSeed.parse(String(firstLine), fileExists: { _ in false }) {
                    guard !path.isEmpty, (1...CueSheet.trackLimit).contains(track) else {
                        throw Violation(description: "seed \(firstLine.debugDescription) gave track \(track) of \(path.debugDescription)")
                    }
                }
            }
        }
        guard let sheet = sheet(bytes) else { return }
        guard sheet.tracks.count <= CueSheet.trackLimit else { throw Violation(description: "\(sheet.tracks.count) tracks accepted") }
        for length in lengths {
            do {
                try checkTracks(try sheet.tracks { _ in length }, sheet: sheet, length: length)
            } catch let error as CueSheetError {
                try checkError(error, sheet: sheetPath)
            }
        }
    }

    /// Tracks in increasing number, each non-empty and inside its file, none overlapping another in the same file.
    static func checkTracks(_ tracks: [CueSheetTrack], sheet: CueSheet, length: CueSheetAudioLength) throws {
        guard tracks.count == sheet.tracks.filter(\.isAudio).count else {
            throw Violation(description: "\(tracks.count) tracks from \(sheet.tracks.filter(\.isAudio).count) audio TRACKs")
        }
        var endInFile: [String: Int] = [:]
        for (index, track) in tracks.enumerated() {
            guard track.startSample >= 0, track.startSample < track.endSample, track.endSample <= length.frameCount,
                  track.sampleRate == length.sampleRate else {
                throw Violation(description: "track \(track.trackNumber): \(track.startSample)..<\(track.endSample) "
                    + "of \(length.frameCount) at \(track.sampleRate) Hz")
            }
            if index > 0, track.trackNumber <= tracks[index - 1].trackNumber {
                throw Violation(description: "track \(track.trackNumber) after \(tracks[index - 1].trackNumber)")
            }
            if let end = endInFile[track.audioPath], track.startSample < end {
                throw Violation(description: "track \(track.trackNumber) starts at \(track.startSample), before \(end)")
            }
            endInFile[track.audioPath] = track.endSample
        }
    }
}
