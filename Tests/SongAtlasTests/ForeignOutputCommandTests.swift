import AudioDecoding
import Export
import FilePaths
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// Outputs are SongAtlas's own or refused: files it did not write, audio (by content), read-only
/// files, one path for two outputs and empty paths all stop a command before it writes, with one
/// line that says why; the outputs of one command land together; signals give 130/143 and leave no
/// temporary file; and paths that are not UTF-8 read back from every document.
final class ForeignOutputCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    var music = ""

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        for index in 0..<4 {
            let samples = index % 2 == 0 ? Signals.sine(frequency: 220 * Double(index + 1), seconds: 2)
                : Signals.drumLoop(bpm: 90 + Double(index) * 10, seconds: 2)
            try AudioFileWriter.write(samples, to: music + "/track-\(index).wav", sampleRate: 22050)
        }
    }

    override func tearDown() { directory.remove() }

    /// Runs `songatlas`; `playlists` and `map` get a cache of the test's own.
    private func songatlas(_ arguments: [String], in folder: String? = nil) throws -> CommandResult {
        let cache = ["playlists", "map"].contains(arguments[0]) && !arguments.contains("--cache")
            ? ["--cache", directory.file("cache.sqlite")] : []
        return try CommandRunner.run("songatlas", arguments + cache,
                                     in: folder.map { URL(fileURLWithPath: $0) } ?? repositoryRoot)
    }

    private func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

    // MARK: foreign files in an output folder

    func testAForeignFileInThePlaylistsFolderStopsTheRunBeforeTheAnalysis() throws {
        let out = directory.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "{\"mine\": true}\n".write(toFile: out + "/playlists.json", atomically: false, encoding: .utf8)
        let before = try FolderSnapshot(out)
        let refused = try songatlas(["playlists", music, "--out", out, "-k", "2", "--min-size", "1"])
        XCTAssertEqual(refused.status, 1, refused.standardError)
        XCTAssertEqual(lines(refused.standardError).count, 1, refused.standardError)
        XCTAssertTrue(refused.standardError.contains(out + "/playlists.json"), refused.standardError)
        XCTAssertTrue(refused.standardError.contains("--replace-foreign"), refused.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("cache.sqlite")), "the analysis ran")
        XCTAssertEqual(try FolderSnapshot(out), before)

        let allowed = try songatlas(["playlists", music, "--out", out, "-k", "2", "--min-size", "1", "-q",
                                     "--replace-foreign"])
        XCTAssertEqual(allowed.status, 0, allowed.standardError)
        XCTAssertNoThrow(try JSONDecoder().decode(PlaylistDocument.self,
                                                  from: Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json"))))
        // Now it is SongAtlas's own: the next run replaces it without the flag.
        XCTAssertEqual(try songatlas(["playlists", music, "--out", out, "-k", "2", "--min-size", "1", "-q"]).status, 0)
    }

    func testAPlaylistAPersonEditedIsLeftAloneAndNamedByARecluster() throws {
        let out = directory.file("out")
        let arguments = ["--min-size", "1", "--seed", "3"]
        XCTAssertEqual(try songatlas(["playlists", music, "--out", out, "-k", "3", "-q"] + arguments).status, 0)
        let three = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".m3u8") }.sorted()
        // A playlist a person edited is never written over nor removed, even when the new set would take its name.
        let edited = try XCTUnwrap(three.first)
        try "#EXTM3U\n/my/own/song.flac\n".write(toFile: out + "/" + edited, atomically: false, encoding: .utf8)
        let result = try songatlas(["playlists", music, "--out", out, "-k", "2", "--recluster"] + arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("left alone (changed, renamed or removed since SongAtlas wrote them): "
            + edited), result.standardOutput)
        XCTAssertEqual(try String(contentsOfFile: out + "/" + edited, encoding: .utf8), "#EXTM3U\n/my/own/song.flac\n")
        let document = try JSONDecoder().decode(PlaylistDocument.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json")))
        XCTAssertFalse(document.playlists.contains { $0.file == edited })
        for playlist in document.playlists {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + playlist.file), playlist.file)
        }
    }

    func testAForeignFileBesideANewMapStopsTheRunBeforeTheAnalysis() throws {
        let out = directory.file("maps")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "x,y\n1,2\n".write(toFile: out + "/map.csv", atomically: false, encoding: .utf8)
        let result = try songatlas(["map", music, "--out", out + "/map.html"])
        XCTAssertEqual(result.status, 1, result.standardError)
        XCTAssertEqual(lines(result.standardError).count, 1, result.standardError)
        XCTAssertTrue(result.standardError.contains(out + "/map.csv") && result.standardError.contains("--replace-foreign"),
                      result.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("cache.sqlite")), "the analysis ran")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), ["map.csv"])
    }

    func testAnotherProgramsReportAtDashOIsRefusedUnlessAllowed() throws {
        let report = directory.file("report.json")
        try "another program's report\n".write(toFile: report, atomically: false, encoding: .utf8)
        let refused = try songatlas(["analyze", music, "-o", report, "-q"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(lines(refused.standardError).count, 1, refused.standardError)
        XCTAssertTrue(refused.standardError.contains("--replace-foreign"), refused.standardError)
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "another program's report\n")
        XCTAssertEqual(try songatlas(["analyze", music, "-o", report, "-q", "--replace-foreign"]).status, 0)
        XCTAssertEqual(try songatlas(["analyze", music, "-o", report, "-q"]).status, 0, "its own report is replaced")
    }

    // MARK: audio by content, read-only files

    func testAFLACNamedMysongIsNeverReplaced() throws {
        let song = directory.file("mysong")
        try AudioFileWriter.write(Signals.sine(frequency: 330, seconds: 1), to: song, sampleRate: 22050, format: .flac16)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: song))
        for arguments in [["analyze", music, "-o", song, "-q", "--replace-foreign"],
                          ["segment", music + "/track-0.wav", "-o", song],
                          ["segment", music + "/track-0.wav", "-o", directory.file("s.json"), "--plot",
                           directory.file("link.svg")]] {
            if arguments.contains(directory.file("link.svg")) {
                try FileManager.default.createSymbolicLink(atPath: directory.file("link.svg"), withDestinationPath: song)
            }
            let result = try songatlas(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("is an audio file"), result.standardError)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: song)), bytes)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("s.json")), "one output of two was written")
    }

    func testAReadOnlyOutputIsRefusedEvenAsRootWithANote() throws {
        let report = directory.file("report.json")
        XCTAssertEqual(try songatlas(["analyze", music, "-o", report, "-q"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: report))
        chmod(report, 0o444)
        let result = try songatlas(["analyze", music, "-o", report, "-q", "--replace-foreign"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("read-only") && result.standardError.contains("chmod"),
                      result.standardError)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: report)), before)
        var status = stat()
        XCTAssertEqual(stat(report, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o444)
    }

    // MARK: one command, one set

    func testOnePathForTwoOutputsIsRefusedBeforeTheWork() throws {
        let same = directory.file("same.svg")
        let result = try songatlas(["segment", music + "/track-1.wav", "--format", "csv", "-o", same,
                                    "--plot", directory.file("sub/../same.svg")])
        XCTAssertEqual(result.status, 1, result.standardError)
        XCTAssertTrue(result.standardError.contains("two outputs"), result.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: same))
    }

    func testSegmentAndItsPlotLandTogetherOrNotAtAll() throws {
        let (scratch, reason) = ScratchFileSystem.mount(sizeKilobytes: 256)
        guard let scratch else { throw XCTSkip(reason) }
        defer { scratch.unmount() }
        let out = directory.file("out.json")
        XCTAssertEqual(try songatlas(["segment", music + "/track-1.wav", "-o", out]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        scratch.fill(leaveBytes: 0)
        // The plot cannot be written (a full disk): the segmentation is not replaced either.
        let result = try songatlas(["segment", music + "/track-1.wav", "--sections", "2", "-o", out,
                                    "--plot", scratch.path + "/full.svg"])
        XCTAssertEqual(result.status, 1, result.standardError)
        XCTAssertTrue(result.standardError.contains("unchanged"), result.standardError)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path + "/full.svg"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
            + FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    // MARK: empty paths

    func testEmptyPathsAreRefusedNamingTheFlag() throws {
        let cwd = directory.file("cwd")
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        let track = music + "/track-0.wav"
        let cases: [(arguments: [String], flag: String)] = [
            (["playlists", music, "--out", ""], "--out"),
            (["map", music, "--out", ""], "--out"),
            (["analyze", music, "-o", ""], "--output"),
            (["features", track, "-o", ""], "--output"),
            (["segment", track, "--plot", ""], "--plot"),
            (["segment", track, "--highlight", ""], "--highlight"),
            (["playlists", music, "--cache", ""], "--cache"),
            (["playlists", music, "--labels", ""], "--labels"),
            (["similar", track, "--library", ""], "--library"),
            (["evaluate", "segments", "--reference", "", "--estimate", track], "--reference"),
        ]
        for (arguments, flag) in cases {
            let result = try songatlas(arguments, in: cwd)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains(flag), "\(arguments): \(result.standardError)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cwd), [], "\(arguments) wrote here")
        }
    }

    // MARK: signals

    func testSegmentStoppedBySIGTERMExitsWith143() throws {
        let long = directory.file("long.wav")
        try AudioFileWriter.write(Signals.noise(seconds: 180, seed: 9), to: long, sampleRate: 22050, format: .wav16)
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("songatlas")
        process.arguments = ["segment", long, "-o", directory.file("long.json")]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        sleep(1)
        kill(process.processIdentifier, SIGTERM)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 143, text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("long.json")))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }, [])
    }

    func testSIGTERMDuringMapNeverLeavesATemporaryFile() throws {
        let out = directory.file("maps")
        let arguments = ["map", music, "--out", out + "/map.html", "-q", "--cache", directory.file("cache.sqlite")]
        let warm = Date()
        XCTAssertEqual(try songatlas(arguments).status, 0)
        let seconds = Date().timeIntervalSince(warm)
        let executable = CommandRunner.productsDirectory.appendingPathComponent("songatlas")
        var generator = SystemRandomNumberGenerator()
        var interrupted = 0
        for round in 0..<14 {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Double.random(in: 0.2...1.0, using: &generator) * seconds * 1_000_000))
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            // 143 once the handler is installed; a signal before that ends the process as the signal does.
            if process.terminationReason == .uncaughtSignal {
                XCTAssertEqual(process.terminationStatus, SIGTERM, "round \(round)")
            } else {
                if process.terminationStatus == 143 { interrupted += 1 }
                XCTAssertTrue([0, 143].contains(process.terminationStatus), "round \(round): \(process.terminationStatus)")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: out)
            XCTAssertEqual(names.filter { $0.hasSuffix(".tmp") }, [], "round \(round)")
            XCTAssertEqual(Set(names.filter { !$0.hasPrefix(".") }), ["map.html", "map.svg", "map.json", "map.csv"],
                           "round \(round)")
        }
        XCTAssertGreaterThan(interrupted, 0, "no round was interrupted")
    }

    // MARK: names

    func testALatin1NameReadsBackFromPlaylistsJSONAndCSV() throws {
        let latin1 = music + "/" + RawPath.string(Array("caf".utf8) + [0xE9] + Array(".wav".utf8))
        XCTAssertEqual(RawPath.withCString(latin1) { rename(music + "/track-3.wav", $0) }, 0)
        let out = directory.file("out")
        let result = try songatlas(["playlists", music, "--out", out, "-k", "2", "--min-size", "1", "-q"])
        XCTAssertEqual(result.status, 0, result.standardError)

        func opens(_ path: String) -> Bool {
            let descriptor = RawPath.withCString(path) { open($0, O_RDONLY) }
            defer { if descriptor >= 0 { close(descriptor) } }
            return descriptor >= 0
        }
        // playlists.json: the display form for people, the exact bytes in the uri.
        let json = try Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json"))
        let text = String(decoding: json, as: UTF8.self)
        XCTAssertTrue(text.contains("caf\\\\xE9.wav"), text)
        XCTAssertTrue(text.contains("\"uri\" : \"file://\(RawPath.percentEncoded(music))/caf%E9.wav\""), text)
        XCTAssertFalse(text.unicodeScalars.contains { $0.value >= 0x10FE00 }, "an escape scalar reached the JSON")
        let document = try JSONDecoder().decode(PlaylistDocument.self, from: json)
        let paths = document.playlists.flatMap { $0.tracks.map(\.path) }
        XCTAssertTrue(paths.contains(latin1))
        XCTAssertTrue(paths.allSatisfy(opens), "\(paths.map(RawPath.display))")

        // playlists.csv: the uri column.
        let rows = CSVTable.parse(RawPath.string(try Data(contentsOf: URL(fileURLWithPath: out + "/playlists.csv"))))
        let uriColumn = try XCTUnwrap(rows[0].firstIndex(of: "uri"))
        let fromCSV = rows.dropFirst().compactMap { PathURI.path(fromURI: $0[uriColumn]) }
        XCTAssertEqual(fromCSV, [latin1])
        XCTAssertTrue(opens(fromCSV[0]))

        // evaluate reads both back: every track of playlists.json is found in playlists.csv as labels.
        let scores = try songatlas(["evaluate", "clusters", out + "/playlists.json", "--labels", out + "/playlists.csv"])
        XCTAssertEqual(scores.status, 0, scores.standardError)
        XCTAssertTrue(scores.standardOutput.contains("tracks scored: 4 of 4"), scores.standardOutput)
        XCTAssertTrue(scores.standardOutput.contains("ARI          1.000000"), scores.standardOutput)
    }
}
