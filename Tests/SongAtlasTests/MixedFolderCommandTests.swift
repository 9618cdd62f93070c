import AudioDecoding
import FilePaths
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// A real music folder: FLAC next to AAC and ALAC in M4A, WMA, WavPack, Opus
/// in Matroska and an MP4 with video, broken files of those kinds, a
/// Latin-1 file name, and the images, text and playlists folders hold. Every
/// file is analysed, reported with its reason, or counted as another file.
final class MixedFolderCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// The folder; returns the Latin-1 track's path (as RawPath carries it).
    private func makeFolder() throws -> (music: String, latin1: String) {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music + "/Album", withIntermediateDirectories: true)
        let flac = music + "/Album/01 Source.FLAC"
        let rate = 44100
        let drums = Signals.drumLoop(bpm: 120, seconds: 3, sampleRate: rate)
        let tone = Signals.sine(frequency: 330, seconds: 3, sampleRate: rate, amplitude: 0.2)
        try AudioFileWriter.write(zip(drums, tone).map { 0.6 * $0 + $1 }, to: flac, sampleRate: rate, channelCount: 1,
                                  format: .flac16)
        for (name, recipe) in [("02 AAC.m4a", FFmpegEncoder.Recipe.aacM4A), ("03 ALAC.M4A", .alacM4A),
                               ("04 Windows.wma", .wma), ("05 Pack.wv", .wavPack), ("06 Opus.mka", .opusMatroska),
                               ("07 Video.mp4", .mp4WithVideo)] {
            try FFmpegEncoder.encode(flac, to: music + "/Album/" + name, recipe)
        }
        // Broken ones: cut in half (index at the end, so it is lost), no bytes, random bytes.
        let whole = try Data(contentsOf: URL(fileURLWithPath: music + "/Album/02 AAC.m4a"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: music + "/Album/08 Cut.m4a"))
        _ = FileManager.default.createFile(atPath: music + "/Album/09 Empty.m4a", contents: Data())
        var generator = SplitMix64(seed: 5)
        _ = FileManager.default.createFile(atPath: music + "/Album/10 Noise.wma",
                                           contents: Data((0..<8000).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        // A Latin-1 name from an old rip: "Caf\xE9.flac".
        let latin1 = music + "/Album/" + RawPath.string(Array("11 Caf".utf8) + [0xE9] + Array(".flac".utf8))
        try FileManager.default.copyItem(atPath: flac, toPath: music + "/staging")
        XCTAssertEqual(RawPath.withCString(latin1) { rename(music + "/staging", $0) }, 0)
        // What else a music folder holds.
        for name in ["cover.jpg", "back.JPG", "booklet.pdf", "notes.txt", "Album.m3u", "Album.m3u8", "radio.pls",
                     "Album.cue", "Album/folder.jpg"] {
            _ = FileManager.default.createFile(atPath: music + "/" + name, contents: Data("not audio\n".utf8))
        }
        return (music, latin1)
    }

    func testAnalyzeAccountsForEveryFile() throws {
        let (music, latin1) = try makeFolder()
        let result = try CommandRunner.run("songatlas", ["analyze", music, "--format", "json", "--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.hasSuffix(
            "songatlas: analysed 8, failed 3, skipped 9 other files (3 .jpg, 1 .cue, 1 .m3u, 1 .m3u8, 1 .pdf, 1 .pls, "
                + "1 .txt)\n"), result.standardError)
        // Failures name the file and the reason.
        XCTAssertTrue(result.standardError.contains("08 Cut.m4a: damaged or truncated audio file (an MP4/M4A file without its index (moov atom)"),
                      result.standardError)
        XCTAssertTrue(result.standardError.contains("09 Empty.m4a: file is empty (0 bytes)"), result.standardError)
        XCTAssertTrue(result.standardError.contains("10 Noise.wma: not a readable audio file (FFmpeg: "), result.standardError)

        let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        XCTAssertEqual(json["skippedFiles"] as? [String: Int],
                       [".jpg": 3, ".cue": 1, ".m3u": 1, ".m3u8": 1, ".pdf": 1, ".pls": 1, ".txt": 1])
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(result.standardOutput.utf8))
        let decoders = Dictionary(uniqueKeysWithValues: report.tracks.map {
            (RawPath.display(($0.path as NSString).lastPathComponent), $0.decoder) })
        XCTAssertEqual(decoders, [
            "01 Source.FLAC": .libsndfile, "02 AAC.m4a": .ffmpeg, "03 ALAC.M4A": .ffmpeg, "04 Windows.wma": .ffmpeg,
            "05 Pack.wv": .ffmpeg, "06 Opus.mka": .ffmpeg, "07 Video.mp4": .ffmpeg, "11 Caf\\xE9.flac": .libsndfile,
        ])
        // The Latin-1 track keeps its bytes (lossless path), with a display form and a URI.
        let latinTrack = try XCTUnwrap(report.tracks.first { $0.path == latin1 })
        XCTAssertEqual(RawPath.bytes(latinTrack.path), RawPath.bytes(latin1))
        let records = (json["tracks"] as! [[String: Any]])
        let latinRecord = try XCTUnwrap(records.first { ($0["pathDisplay"] as? String) != nil })
        XCTAssertEqual(latinRecord["pathDisplay"] as? String, RawPath.display(latin1))
        XCTAssertEqual(latinRecord["pathURI"] as? String, "file://" + RawPath.percentEncoded(music) + "/Album/11%20Caf%E9.flac")
        XCTAssertEqual(latinRecord["decoder"] as? String, "libsndfile")
        // ...and the same summary as the FLAC it is a copy of.
        let source = try XCTUnwrap(report.tracks.first { $0.path.hasSuffix("01 Source.FLAC") })
        XCTAssertEqual(latinTrack.summary, source.summary)
        // Lossless copies match exactly.
        for name in ["03 ALAC.M4A", "05 Pack.wv"] {
            XCTAssertEqual(report.tracks.first { $0.path.hasSuffix(name) }?.summary, source.summary, name)
        }
    }

    func testALatin1NameGivenOnTheCommandLineOpens() throws {
        let (music, _) = try makeFolder()
        // The shell turns \0351 into the byte 0xE9, as a terminal in a Latin-1 locale would pass it.
        let songatlas = CommandRunner.productsDirectory.appendingPathComponent("songatlas").path
        let result = try CommandRunner.runAbsolute("/bin/sh", [
            "-c", #"exec "$0" segment "$(printf '%b' "$1")" --format csv"#, songatlas, music + "/Album/11 Caf\\0351.flac",
        ])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.hasPrefix("start,end,label"), result.standardOutput)
        let missing = try CommandRunner.runAbsolute("/bin/sh", [
            "-c", #"exec "$0" analyze "$(printf '%b' "$1")""#, songatlas, music + "/Album/12 Caf\\0351.flac",
        ])
        XCTAssertTrue(missing.standardError.contains("/Album/12 Caf\\xE9.flac: no such file"), missing.standardError)
    }

    func testVerboseListsTheOtherFilesAndQuietIsQuiet() throws {
        let (music, _) = try makeFolder()
        let verbose = try CommandRunner.run("songatlas", ["analyze", music, "--format", "csv", "--verbose", "-o",
                                                          directory.file("out.csv")])
        XCTAssertEqual(verbose.status, 0, verbose.standardError)
        for name in ["cover.jpg", "Album.m3u8", "Album.cue", "Album/folder.jpg", "notes.txt"] {
            XCTAssertTrue(verbose.standardError.contains("songatlas: not audio, skipped: \(music)/\(name)\n"), name)
        }
        let csv = try String(contentsOfFile: directory.file("out.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("path,title,artist,album,format,duration_seconds,sample_rate,channels,"
            + "analyzed_seconds,feature_version,track,disc,decoder,path_display,path_uri,"), csv)
        XCTAssertTrue(csv.contains("/Album/11 Caf\\xE9.flac,file://"), csv)
        let quiet = try CommandRunner.run("songatlas", ["analyze", music, "--quiet"])
        XCTAssertEqual(quiet.standardError, "")
        let both = try CommandRunner.run("songatlas", ["analyze", music, "--quiet", "--verbose"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.standardError.contains("give either --quiet or --verbose, not both"), both.standardError)
    }

    func testPlaylistsThroughTheCacheKeepTheLatin1Name() throws {
        let (music, latin1) = try makeFolder()
        let cache = directory.file("cache.sqlite")
        let output = directory.file("lists")
        // Its files are one recording in several formats: --keep-copies keeps every file.
        for run in 0..<2 {
            let result = try CommandRunner.run("songatlas", ["playlists", music, "-k", "2", "--cache", cache,
                                                             "--out", output, "--seed", "1", "--keep-copies"])
            XCTAssertEqual(result.status, 0, result.standardError)
            XCTAssertTrue(result.standardError.contains(run == 0 ? "analysed 11, cached 0, failed 3" : "analysed 0, cached 11, failed 3"),
                          result.standardError)
            XCTAssertTrue(result.standardError.contains("skipped 9 other files"), result.standardError)
        }
        let lists = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasSuffix(".m3u8") }
        let text = try lists.map { try String(contentsOfFile: output + "/" + $0, encoding: .utf8) }.joined()
        let uri = "file://" + RawPath.percentEncoded(latin1)
        XCTAssertTrue(text.contains("\n" + uri + "\n"), text)
        XCTAssertTrue(uri.hasSuffix("/Album/11%20Caf%E9.flac"))
    }
}
