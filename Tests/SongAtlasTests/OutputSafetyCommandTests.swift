import AudioDecoding
import Export
import FilePaths
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// The commands as a careless or hostile user runs them: outputs aimed at the
/// wrong things, full disks, two runs at once, signals, absurd numbers. After
/// each one the music is byte-for-byte what it was, and nothing outside the
/// requested outputs changed.
final class OutputSafetyCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    var music: String!
    var musicBefore: FolderSnapshot!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        for index in 0..<6 {
            let samples = index % 2 == 0 ? Signals.sine(frequency: 220 * Double(index + 1), seconds: 2)
                : Signals.drumLoop(bpm: 90 + Double(index) * 10, seconds: 2)
            try AudioFileWriter.write(samples, to: music + "/track-\(index).wav", sampleRate: 22050)
        }
        musicBefore = try FolderSnapshot(music)
    }

    override func tearDownWithError() throws {
        XCTAssertEqual(try FolderSnapshot(music), musicBefore, "the music folder changed")
        directory.remove()
    }

    /// Runs `songatlas`; `playlists` and `map` get a cache of the test's own.
    private func songatlas(_ arguments: [String]) throws -> CommandResult {
        let cache = ["playlists", "map"].contains(arguments[0]) ? ["--cache", directory.file("cache.sqlite")] : []
        return try CommandRunner.run("songatlas", arguments + cache)
    }

    private func playlistFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".m3u8") }.sorted()
    }

    // MARK: -o

    func testOutputThroughASymbolicLinkUpdatesItsTarget() throws {
        let target = directory.file("reports/latest.json")
        try FileManager.default.createDirectory(atPath: directory.file("reports"), withIntermediateDirectories: true)
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        let link = directory.file("report.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        // The target holds another program's file: replacing it takes --replace-foreign.
        let result = try CommandRunner.run("songatlas", ["analyze", music, "-o", link, "-q", "--replace-foreign"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(contentsOf: URL(fileURLWithPath: target)))
        XCTAssertEqual(report.tracks.count, 6)
    }

    func testOutputToAFIFOIsStreamedIntoIt() throws {
        let fifo = directory.file("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread { received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data() }
        reader.start()
        let result = try CommandRunner.run("songatlas", ["analyze", music, "--format", "csv", "-o", fifo, "-q"])
        XCTAssertEqual(result.status, 0, result.standardError)
        while !reader.isFinished { usleep(1000) }
        XCTAssertEqual(String(decoding: received, as: UTF8.self).split(separator: "\n").count, 7)
        var status = stat()
        XCTAssertEqual(lstat(fifo, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO, "the FIFO was replaced by a file")
    }

    func testDashIsStandardOutput() throws {
        let result = try CommandRunner.run("songatlas", ["analyze", music, "--format", "csv", "-o", "-", "-q"],
                                           in: URL(fileURLWithPath: directory.path))
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.hasPrefix("path,title,"), result.standardOutput)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("-")), "wrote a file named '-'")
    }

    /// Foundation's `deletingLastPathComponent` traps on a one-character path (`P`, `P/`); the outputs, the map and
    /// the cache are named that way here, relative to the folder the command runs in, and land where asked.
    func testOneCharacterNamesForOutputsAndTheCacheWork() throws {
        let here = URL(fileURLWithPath: directory.path)
        for (command, arguments, made) in [
            ("playlists", ["--out", "P", "-k", "2", "--cache", "c"], "P/playlists.json"),
            ("playlists", ["--out", "Q/", "-k", "2", "--cache", "c"], "Q/playlists.json"),
            ("analyze", ["-o", "a", "--cache", "c"], "a"),
            ("map", ["--out", "M/map.html", "--grid", "3x3", "--cache", "c"], "M/map.html"),
        ] {
            let result = try CommandRunner.run("songatlas", [command, music, "-q"] + arguments, in: here)
            XCTAssertEqual(result.status, 0, "\(command) \(arguments): \(result.standardError)")
            XCTAssertFalse(result.standardError.contains("crashed"), result.standardError)
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file(made)), "\(command): no \(made)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("c")), "no cache named c")
    }

    func testParentFolderOfOneCharacterAndOrdinaryPaths() {
        let cases: [(String, String)] = [("P", ""), ("P/", ""), ("a/b", "a"), ("a/b/", "a"), ("/a", "/"), ("/", "/"),
                                         ("", ""), ("a//b", "a"), ("./P", "."), ("/x/y/z.flac", "/x/y"), ("é", "")]
        for (path, folder) in cases { XCTAssertEqual(ParentFolder.of(path), folder, path) }
        XCTAssertEqual(ParentFolder.orCurrent("P"), ".")
        XCTAssertEqual(ParentFolder.orCurrent("a/P"), "a")
    }

    func testUnwritableOutputFailsBeforeAnyAnalysis() throws {
        try "a file".write(toFile: directory.file("file"), atomically: false, encoding: .utf8)
        for (command, arguments) in [("analyze", ["-o", directory.file("file/out.json")]),
                                     ("playlists", ["--out", directory.file("file")]),
                                     ("map", ["--out", directory.file("file/map.html")])] {
            let result = try songatlas([command, music] + arguments)
            XCTAssertEqual(result.status, 1, "\(command): \(result.standardError)")
            XCTAssertFalse(result.standardError.contains("analysed"), "\(command) analysed before failing: \(result.standardError)")
            XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, result.standardError)
        }
        XCTAssertEqual(try String(contentsOfFile: directory.file("file"), encoding: .utf8), "a file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("cache.sqlite")), "analysis ran")
    }

    func testAnAudioFileGivenAsTheOutputIsRefused() throws {
        // The music is compared byte for byte in tearDown.
        let folder: String = music
        let song = { (index: Int) -> String in folder + "/track-\(index).wav" }
        let cases: [[String]] = [["analyze", folder, "-o", song(0)],
                                 ["features", song(1), "-o", song(1)],
                                 ["segment", song(2), "--format", "csv", "-o", song(3)]]
        for arguments in cases {
            let result = try CommandRunner.run("songatlas", arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("is an audio file"), result.standardError)
        }
    }

    func testNothingAnalysedLeavesTheOutputFileAsItWas() throws {
        // A mistyped folder must not replace a good report with one of errors.
        let report = directory.file("features.csv")
        try "the good report\n".write(toFile: report, atomically: false, encoding: .utf8)
        let result = try CommandRunner.run("songatlas", ["analyze", directory.file("Muisc"), "--format", "csv", "-o", report,
                                                         "--replace-foreign"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("was not written"), result.standardError)
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "the good report\n")
    }

    func testAFolderGivenAsTheOutputFileIsRefusedAndUntouched() throws {
        let result = try CommandRunner.run("songatlas", ["analyze", music, "-o", music])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("is a folder"), result.standardError)
    }

    // MARK: output sets

    func testPlaylistsOfAnEarlierRunGoAndOtherFilesStay() throws {
        let out = directory.file("out")
        XCTAssertEqual(try songatlas(["playlists", music, "--out", out, "-k", "3", "--min-size", "1", "-q"]).status, 0)
        XCTAssertEqual(try playlistFiles(out).count, 3)
        try "my notes".write(toFile: out + "/notes.txt", atomically: false, encoding: .utf8)
        try "#EXTM3U\n".write(toFile: out + "/my own.m3u8", atomically: false, encoding: .utf8)
        let second = try songatlas(["playlists", music, "--out", out, "-k", "2", "--min-size", "1", "-q", "--recluster"])
        XCTAssertEqual(second.status, 0, second.standardError)
        let document = try JSONDecoder().decode(PlaylistDocument.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json")))
        XCTAssertEqual(try playlistFiles(out), (document.playlists.map(\.file) + ["my own.m3u8"]).sorted())
        XCTAssertEqual(try String(contentsOfFile: out + "/notes.txt", encoding: .utf8), "my notes")
    }

    func testAHandEditedPlaylistsJSONDeletesNothing() throws {
        let out = music + "/playlists"
        XCTAssertEqual(try songatlas(["playlists", music, "--out", out, "-k", "2", "--min-size", "1", "-q"]).status, 0)
        // The old writer trusted these entries; ".." made it delete its own output folder.
        let json = out + "/playlists.json"
        var text = try String(contentsOfFile: json, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"file\" : \"01", with: "\"file\" : \"..\", \"x\" : \"01")
        text = text.replacingOccurrences(of: "\"file\" : \"02", with: "\"file\" : \"../track-0.wav\", \"x\" : \"02")
        try text.write(toFile: json, atomically: false, encoding: .utf8)
        // The edited playlists.json is no longer SongAtlas's: replacing it takes --replace-foreign.
        let result = try songatlas(["playlists", music, "--out", out, "-k", "3", "--min-size", "1", "-q",
                                    "--replace-foreign"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(try playlistFiles(out).count, 3)
        // The music itself is checked in tearDown; take the playlists out of the comparison.
        try FileManager.default.removeItem(atPath: out)
    }

    func testFullDiskKeepsThePreviousPlaylists() throws {
        let (scratch, reason) = ScratchFileSystem.mount(sizeKilobytes: 1024)
        guard let scratch else { throw XCTSkip(reason) }
        defer { scratch.unmount() }
        let out = scratch.path + "/out"
        XCTAssertEqual(try songatlas(["playlists", music, "--out", out, "-k", "2", "--min-size", "1", "-q"]).status, 0)
        let before = try FolderSnapshot(out)
        scratch.fill(leaveBytes: 2048)
        let result = try songatlas(["playlists", music, "--out", out, "-k", "3", "--min-size", "1", "-q", "--recluster"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("what was there before is unchanged"), result.standardError)
        XCTAssertEqual(try FolderSnapshot(out), before)
    }

    func testConcurrentRunsOnOneFolderLeaveAConsistentSet() throws {
        let out = directory.file("out")
        // Warm the cache so that both runs reach the writing step at about the same time.
        XCTAssertEqual(try songatlas(["playlists", music, "--out", directory.file("warm"), "-q"]).status, 0)
        let group = DispatchGroup()
        nonisolated(unsafe) var statuses: [Int32] = [0, 0]
        let music: String = self.music
        let cache = directory.file("cache.sqlite")
        for (index, k) in ["2", "4"].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                // Two settings: each run is a recluster (the other's set may land first).
                let arguments = ["playlists", music, "--out", out, "-k", k, "-q", "--cache", cache, "--recluster"]
                statuses[index] = (try? CommandRunner.run("songatlas", arguments))?.status ?? -1
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(statuses, [0, 0])
        let document = try JSONDecoder().decode(PlaylistDocument.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json")))
        XCTAssertEqual(try playlistFiles(out), document.playlists.map(\.file).sorted())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".tmp") }, [])
    }

    // MARK: signals

    /// Starts `songatlas`, waits for `marker` on standard error, sends `signal`, and returns the exit status.
    private func interrupt(_ arguments: [String], after marker: String, with signalNumber: Int32) throws
        -> (status: Int32, standardError: String)
    {
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("songatlas")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = errors.fileHandleForReading
        while !text.contains(marker) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(text.contains(marker), "never saw '\(marker)': \(text)")
        kill(process.processIdentifier, signalNumber)
        // A generous bound, only so that a process that ignores the signal fails the test instead of hanging it.
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            process.waitUntilExit()
            stopped.signal()
        }
        if stopped.wait(timeout: .now() + 60) == .timedOut {
            process.interrupt()
            kill(process.processIdentifier, SIGKILL)
            XCTFail("songatlas did not stop within 60 s of the signal")
        }
        text += String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }

    func testSIGTERMDuringMapTrainingStopsWith143AndWritesNothing() throws {
        let out = directory.file("maps/map.html")
        // The largest map 6 songs may have (500×500 is refused), trained one song at a time: the slowest
        // training allowed; the summary line comes right before it. A fast machine may finish first.
        let result = try interrupt(["map", music, "--grid", "30x20", "--method", "online", "--out", out,
                                    "--cache", directory.file("cache.sqlite")],
                                   after: "analysed", with: SIGTERM)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: directory.file("maps"))) ?? []
        if result.status == 0 {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out), "a finished run wrote its page")
        } else {
            XCTAssertEqual(result.status, 143, result.standardError)
            XCTAssertEqual(left.filter { !$0.hasPrefix(".songatlas.lock") }, [], "a stopped run left files")
        }
        // The cache keeps what was analysed.
        let again = try songatlas(["analyze", music, "-q", "-o", directory.file("again.json")])
        XCTAssertEqual(again.status, 0)
        let cached = try songatlas(["playlists", music, "--out", directory.file("p"), "-k", "2"])
        XCTAssertTrue(cached.standardError.contains("cached 6"), cached.standardError)
    }

    func testSIGINTDuringRestartsStopsWith130() throws {
        let result = try interrupt(["playlists", music, "--restarts", "1000", "--max-iterations", "100000",
                                    "--tolerance", "0", "-k", "auto", "--out", directory.file("out"),
                                    "--cache", directory.file("cache.sqlite")],
                                   after: "analysed", with: SIGINT)
        // The run may have finished before the signal on a fast machine; then it must have written everything.
        if result.status == 0 {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("out/playlists.json")))
        } else {
            XCTAssertEqual(result.status, 130, result.standardError)
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("out/playlists.json")))
        }
    }

    // MARK: numbers

    func testAbsurdNumbersGetOneLineNamingTheFlagAndItsRange() throws {
        let cases: [([String], String)] = [
            (["map", music, "--grid", "4294967296x4294967296"], "--grid"),
            (["map", music, "--grid", "0x5"], "--grid"),
            (["analyze", music, "--excerpt", "5e14"], "--excerpt"),
            (["analyze", music, "--excerpt", "nan"], "--excerpt"),
            (["segment", music + "/track-0.wav", "--min-section", "1e308"], "--min-section"),
            (["playlists", music, "--restarts", "9223372036854775807"], "--restarts"),
            (["playlists", music, "-k", "-3"], "-k"),
            (["playlists", music, "-k", "100000"], "-k"),
            (["playlists", music, "--weights", "timbre=1e308"], "--weights"),
            (["playlists", music, "--min-size", "0"], "--min-size"),
            (["analyze", music, "--jobs", "100000"], "--jobs"),
            (["analyze", music, "--file-time-limit", "-1"], "--file-time-limit"),
            (["segment", music + "/track-0.wav", "--sections", "-2"], "--sections"),
        ]
        for (arguments, flag) in cases {
            let result = try CommandRunner.run("songatlas", arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.standardError)")
            let firstLine = result.standardError.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertTrue(firstLine.contains(flag) && firstLine.contains("must be"),
                          "\(arguments): \(result.standardError)")
        }
    }
}
