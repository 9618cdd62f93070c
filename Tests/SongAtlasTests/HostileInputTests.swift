import Foundation
import SongAtlas
import TestSupport
import XCTest

/// Every command over a folder of hostile files: each bad file gets an error,
/// the good ones get results, nothing crashes, hangs or writes NaN.
final class HostileInputTests: XCTestCase {
    static func makeCorpus(in folder: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func path(_ name: String) -> String { folder + "/" + name }
        let tone = Signals.sine(frequency: 440, seconds: 3, sampleRate: 44100)

        // Good files, with awkward names.
        try AudioFileWriter.write(Signals.drumLoop(bpm: 120, seconds: 12), to: path("good drum loop.wav"), sampleRate: 22050)
        try AudioFileWriter.write(tone, to: path("quote \"it's\" & ünïcødé 🎵.flac"), sampleRate: 44100, format: .flac16)
        try AudioFileWriter.write(Signals.noise(seconds: 10), to: path("line\nbreak.wav"), sampleRate: 22050)
        // 8 channels at 192 kHz.
        var eight = [Float](repeating: 0, count: 192_000 * 2 * 8)
        for frame in 0..<(192_000 * 2) {
            for channel in 0..<8 {
                let phase: Double = Double(frame) * Double(channel + 1) * 0.01
                eight[frame * 8 + channel] = Float(sin(phase) * 0.3)
            }
        }
        try AudioFileWriter.write(eight, to: path("eight-channels-192k.wav"), sampleRate: 192_000, channelCount: 8)
        // NaN and infinity in a float WAV.
        var poisoned = Signals.sine(frequency: 330, seconds: 3)
        for index in stride(from: 0, to: poisoned.count, by: 97) { poisoned[index] = index % 2 == 0 ? .nan : .infinity }
        try AudioFileWriter.write(poisoned, to: path("nan-and-inf.wav"), sampleRate: 22050, format: .wavFloat)

        // Truncated files.
        for (name, format) in [("truncated.flac", AudioFileWriter.Format.flac16), ("truncated.mp3", .mp3),
                               ("truncated.wav", .wav16)] {
            try AudioFileWriter.write(tone, to: path("whole-" + name), sampleRate: 44100, format: format)
            let data = try Data(contentsOf: URL(fileURLWithPath: path("whole-" + name)))
            try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: path(name)))
            try manager.removeItem(atPath: path("whole-" + name))
        }
        // An MP3 named .flac (libsndfile goes by content).
        try AudioFileWriter.write(tone, to: path("really-an-mp3.flac"), sampleRate: 44100, format: .mp3)
        // Zero bytes, random bytes, text.
        _ = manager.createFile(atPath: path("empty.flac"), contents: Data())
        var generator = SplitMix64(seed: 11)
        _ = manager.createFile(atPath: path("random.flac"), contents: Data((0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        try "not audio".write(toFile: path("notes.ogg"), atomically: true, encoding: .utf8)
        // A WAV header that claims 2 GB of data.
        var header = Data("RIFF".utf8) + withUnsafeBytes(of: UInt32(0x7FFF_FFF0).littleEndian) { Data($0) } + Data("WAVEfmt ".utf8)
        header += withUnsafeBytes(of: UInt32(16).littleEndian) { Data($0) }
        header += withUnsafeBytes(of: UInt16(1).littleEndian) { Data($0) } + withUnsafeBytes(of: UInt16(1).littleEndian) { Data($0) }
        header += withUnsafeBytes(of: UInt32(22050).littleEndian) { Data($0) } + withUnsafeBytes(of: UInt32(44100).littleEndian) { Data($0) }
        header += withUnsafeBytes(of: UInt16(2).littleEndian) { Data($0) } + withUnsafeBytes(of: UInt16(16).littleEndian) { Data($0) }
        header += Data("data".utf8) + withUnsafeBytes(of: UInt32(0x7FFF_FFCC).littleEndian) { Data($0) }
        header += Data(repeating: 0, count: 1000)
        _ = manager.createFile(atPath: path("huge-header.wav"), contents: header)
        // One sample.
        try AudioFileWriter.write([0.5], to: path("one-sample.wav"), sampleRate: 22050)
        // A symbolic-link loop, a broken link and a FIFO.
        try manager.createSymbolicLink(atPath: path("loop"), withDestinationPath: folder)
        try manager.createSymbolicLink(atPath: path("broken.flac"), withDestinationPath: path("nowhere.flac"))
        _ = mkfifo(path("fifo.wav"), 0o644)
    }

    func testEveryCommandReportsBadFilesAndKeepsGoing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let music = directory.file("hostile")
        try Self.makeCorpus(in: music)
        // Five good files, the MP3 named .flac (libsndfile reads by content) and the
        // readable first third of the truncated WAV and MP3; the truncated FLAC loses
        // sync and is reported as a read failure.
        let good = 8

        let analyze = try CommandRunner.run("songatlas", ["analyze", music], timeoutSeconds: 120)
        XCTAssertEqual(analyze.status, 0, analyze.standardError)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(analyze.standardOutput.utf8))
        XCTAssertEqual(report.tracks.count, good, "\(report.tracks.map { ($0.path as NSString).lastPathComponent }) / "
            + "\(report.failures.map { (($0.path as NSString).lastPathComponent, $0.error) })")
        XCTAssertTrue(report.tracks.allSatisfy { $0.features.allSatisfy { $0.value.isFinite } })
        XCTAssertFalse(analyze.standardOutput.contains("\"nan\""))
        for name in ["empty.flac", "random.flac", "notes.ogg", "one-sample.wav", "broken.flac", "fifo.wav", "huge-header.wav"] {
            XCTAssertTrue(report.failures.contains { $0.path.hasSuffix(name) } || report.tracks.contains { $0.path.hasSuffix(name) },
                          "\(name) is neither analysed nor reported")
        }
        XCTAssertTrue(report.failures.contains { $0.path.hasSuffix("one-sample.wav") && $0.error.contains("too short") })
        XCTAssertTrue(report.failures.contains { $0.path.hasSuffix("truncated.flac") && $0.error.contains("read failed") })

        let out = directory.file("playlists")
        let playlists = try CommandRunner.run("songatlas", ["playlists", music, "--out", out, "--no-cache"], timeoutSeconds: 120)
        XCTAssertEqual(playlists.status, 0, playlists.standardError)
        let document = try String(contentsOfFile: out + "/playlists.json", encoding: .utf8)
        XCTAssertFalse(document.contains("\"nan\""))
        XCTAssertEqual(try JSONDecoder().decode(PlaylistDocument.self, from: Data(document.utf8))
            .playlists.map(\.tracks.count).reduce(0, +), good)

        let page = directory.file("map/map.html")
        let map = try CommandRunner.run("songatlas", ["map", music, "--out", page, "--no-cache"], timeoutSeconds: 120)
        XCTAssertEqual(map.status, 0, map.standardError)
        XCTAssertFalse(try String(contentsOfFile: directory.file("map/map.json"), encoding: .utf8).lowercased()
            .contains("\"nan\""))

        // segment, file by file: a result or a clear error, never a crash.
        for name in try FileManager.default.contentsOfDirectory(atPath: music).sorted() where name != "loop" {
            let result = try CommandRunner.run("songatlas", ["segment", music + "/" + name, "--format", "csv"],
                                               timeoutSeconds: 120)
            XCTAssertTrue(result.status == 0 || (result.status == 1 && result.standardError.hasPrefix("songatlas: ")),
                          "\(name): status \(result.status), \(result.standardError)")
            XCTAssertFalse(result.standardOutput.lowercased().contains(",nan"), name)
        }
    }
}
