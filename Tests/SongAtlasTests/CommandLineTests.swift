import Foundation
import SongAtlas
import TestSupport
import XCTest

/// The `songatlas` command as a user runs it.
final class CommandLineTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func songatlas(_ arguments: String...) throws -> CommandResult {
        try CommandRunner.run("songatlas", arguments)
    }

    func testHelpMatchesGoldenFiles() throws {
        for (arguments, file) in [([String](["--help"]), "help.txt"), (["analyze", "--help"], "help-analyze.txt"),
                                  (["features", "--help"], "help-features.txt")] {
            let result = try CommandRunner.run("songatlas", arguments)
            XCTAssertEqual(result.status, 0)
            if let mismatch = goldenMismatch(result.standardOutput, file: file, in: Self.golden) { XCTFail(mismatch) }
        }
    }

    func testAnalyzeSampleAudio() throws {
        let result = try songatlas("analyze", "SampleAudio", "--format", "json", "--quiet")
        XCTAssertEqual(result.status, 0, result.standardError)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(result.standardOutput.utf8))
        let labels = try String(contentsOf: repositoryRoot.appendingPathComponent("SampleAudio/labels.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        XCTAssertEqual(report.tracks.count, labels.count)
        XCTAssertEqual(report.failures, [])

        var style: [String: String] = [:]
        for fields in labels { style[String(fields[0])] = String(fields[1]) }
        func mean(_ feature: SummaryDimension, of label: String) -> Float {
            let values = report.tracks.filter { style[URL(fileURLWithPath: $0.path).lastPathComponent] == label }
                .map { $0[feature] }
            return values.reduce(0, +) / Float(values.count)
        }
        for track in report.tracks {
            XCTAssertTrue(track.summary.values.allSatisfy(\.isFinite), track.path)
            XCTAssertEqual(track.summary.values.count, SongSummary.names.count)
            XCTAssertEqual(track.artist, "SongAtlas Synth")
            XCTAssertEqual(track.sampleRate, 22050)
        }
        // What the styles are made of shows in the features.
        XCTAssertGreaterThan(mean(.mean(.centroid), of: "dnb"), 2 * mean(.mean(.centroid), of: "ambient"))
        XCTAssertGreaterThan(mean(.pulseClarity, of: "chiptune"), 3 * mean(.pulseClarity, of: "ambient"))
        XCTAssertGreaterThan(mean(.silentFraction, of: "percussion"), mean(.silentFraction, of: "ambient") + 0.2)
    }

    func testAnalyzeReportsBadFilesAndGoesOn() throws {
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1), to: directory.file("good.wav"), sampleRate: 22050)
        _ = FileManager.default.createFile(atPath: directory.file("empty.flac"), contents: Data())
        try "not audio".write(toFile: directory.file("text.mp3"), atomically: true, encoding: .utf8)
        try AudioFileWriter.write([0.1, 0.2], to: directory.file("short.wav"), sampleRate: 22050)
        let result = try songatlas("analyze", directory.path, "--format", "csv")
        XCTAssertEqual(result.status, 0)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 5)
        XCTAssertTrue(lines[0].hasPrefix("path,title,"))
        XCTAssertTrue(lines[0].hasSuffix(",error"))
        XCTAssertTrue(result.standardOutput.contains("file is empty (0 bytes)"))
        XCTAssertTrue(result.standardOutput.contains("not a readable audio file"))
        XCTAssertTrue(result.standardOutput.contains("too short to analyse"))
        XCTAssertTrue(result.standardError.contains("analysed 1, failed 3"), result.standardError)
    }

    func testAnalyzeFailsOnlyWhenNothingWasAnalysed() throws {
        _ = FileManager.default.createFile(atPath: directory.file("empty.wav"), contents: Data())
        let result = try songatlas("analyze", directory.file("empty.wav"), directory.file("missing.flac"))
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("missing.flac: no such file or folder"), result.standardError)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(result.standardOutput.utf8))
        XCTAssertEqual(report.failures.count, 2)
    }

    func testOutputFileIsWrittenWholeWithNoLeftovers() throws {
        let output = directory.file("out.json")
        let result = try songatlas("analyze", "SampleAudio/piano-01.flac", "-o", output, "-q")
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, "")
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
        XCTAssertEqual(report.tracks.count, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["out.json"])
    }

    func testFeaturesCSV() throws {
        let result = try songatlas("features", "SampleAudio/piano-01.flac")
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(String(lines[0]), (["time"] + FrameFeatureNames.all).joined(separator: ","))
        // 18 s at 22050 Hz, hop 512: 1 + 396900 / 512 frames.
        XCTAssertEqual(lines.count - 1, 1 + 18 * 22050 / 512)
        XCTAssertTrue(lines[1].hasPrefix("0.0,"))
        XCTAssertEqual(lines[1].split(separator: ",").count, 1 + FrameFeatureNames.count)
    }

    func testFeaturesJSONAndBadFile() throws {
        let json = try songatlas("features", "SampleAudio/dnb-01.flac", "--format", "json", "--excerpt", "2")
        XCTAssertEqual(json.status, 0, json.standardError)
        let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as! [String: Any]
        XCTAssertEqual(document["columns"] as? [String], FrameFeatureNames.all)
        XCTAssertEqual((document["frames"] as? [[Double]])?.count, 1 + 2 * 22050 / 512)

        let missing = try songatlas("features", "nope.flac")
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.standardError, "songatlas: nope.flac: no such file\n")
    }

    func testInvalidOptionsAreRejected() throws {
        let result = try songatlas("analyze", "SampleAudio", "--excerpt=-3")
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.standardError.contains("--excerpt must be more than 0 and at most 1000000 seconds, got -3.0"),
                      result.standardError)
        let jobs = try songatlas("analyze", "SampleAudio", "--jobs", "0")
        XCTAssertEqual(jobs.status, 64)
    }
}

/// `songatlas playlists` and `songatlas evaluate clusters`.
final class PlaylistsCommandTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testHelpMatchesGoldenFiles() throws {
        for (arguments, file) in [(["playlists", "--help"], "help-playlists.txt"),
                                  (["evaluate", "clusters", "--help"], "help-evaluate-clusters.txt")] {
            let result = try CommandRunner.run("songatlas", arguments)
            XCTAssertEqual(result.status, 0)
            if let mismatch = goldenMismatch(result.standardOutput, file: file, in: Self.golden) { XCTFail(mismatch) }
        }
    }

    func testACacheNamedWithoutAFolderLivesInTheCurrentFolder() throws {
        // `--cache c.sqlite` once failed ("cannot create folder ''") and ran without a cache.
        let music = repositoryRoot.appendingPathComponent("SampleAudio").path
        let arguments = ["map", music, "--out", "map/map.html", "--cache", "c.sqlite", "--quiet"]
        let here = URL(fileURLWithPath: directory.path)
        let first = try CommandRunner.run("songatlas", arguments, in: here)
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertFalse(first.standardError.contains("without a cache"), first.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("c.sqlite")))
        let second = try CommandRunner.run("songatlas", ["playlists", music, "--out", "lists", "--cache", "c.sqlite"], in: here)
        XCTAssertTrue(second.standardError.contains("analysed 0, cached 18, failed 0"), second.standardError)
    }

    func testPlaylistsOfSampleAudioThenCachedRerunThenEvaluate() throws {
        let out = directory.file("out")
        let cache = directory.file("cache.sqlite")
        let arguments = ["playlists", "SampleAudio", "--out", out, "--cache", cache, "--labels", "SampleAudio/labels.csv",
                         "--seed", "3"]
        let first = try CommandRunner.run("songatlas", arguments)
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertTrue(first.standardError.contains("analysed 18, cached 0, failed 0"), first.standardError)
        XCTAssertTrue(first.standardOutput.contains("against 18 labelled tracks: ARI"), first.standardOutput)

        let document = try JSONDecoder().decode(
            PlaylistDocument.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json")))
        XCTAssertEqual(document.playlists.map(\.tracks.count).reduce(0, +), 18)
        XCTAssertGreaterThanOrEqual(document.playlists.count, 3)
        for playlist in document.playlists {
            let m3u = try String(contentsOfFile: out + "/" + playlist.file, encoding: .utf8)
            XCTAssertTrue(m3u.hasPrefix("#EXTM3U\n#EXTINF:"))
            // Written outside the music folder: absolute paths that exist.
            for line in m3u.split(separator: "\n") where !line.hasPrefix("#") {
                XCTAssertTrue(FileManager.default.fileExists(atPath: String(line)), String(line))
            }
        }
        let csv = try String(contentsOfFile: out + "/playlists.csv", encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 19)
        // The style groups come out mostly intact.
        XCTAssertGreaterThan(document.metrics.agreement!.adjustedRandIndex, 0.5)

        let second = try CommandRunner.run("songatlas", arguments)
        XCTAssertTrue(second.standardError.contains("analysed 0, cached 18, failed 0"), second.standardError)
        XCTAssertEqual(second.standardOutput, first.standardOutput)

        let evaluation = try CommandRunner.run(
            "songatlas", ["evaluate", "clusters", out + "/playlists.json", "--labels", "SampleAudio/labels.csv", "--json"])
        XCTAssertEqual(evaluation.status, 0, evaluation.standardError)
        let scores = try JSONDecoder().decode(PartitionAgreement.self, from: Data(evaluation.standardOutput.utf8))
        XCTAssertEqual(scores, document.metrics.agreement)
    }

    func testEmptyFolderAndTooLargeKGiveClearErrors() throws {
        let empty = directory.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let none = try CommandRunner.run("songatlas", ["playlists", empty, "--out", directory.file("o"), "--no-cache"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.standardError.contains("no tracks could be analysed; no playlists written"), none.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("o")))

        let tooMany = try CommandRunner.run("songatlas", [
            "playlists", "SampleAudio/piano-01.flac", "SampleAudio/dnb-01.flac", "-k", "3", "--no-cache",
            "--out", directory.file("o")])
        XCTAssertEqual(tooMany.status, 64)
        XCTAssertTrue(tooMany.standardError.contains("-k 3 asks for more playlists than there are songs (2)"),
                      tooMany.standardError)
        let badK = try CommandRunner.run("songatlas", ["playlists", "SampleAudio", "-k", "many"])
        XCTAssertEqual(badK.status, 64)
    }

    func testACacheThatIsNotOursIsReportedAndLeftAlone() throws {
        let cache = directory.file("cache.sqlite")
        let text = "this is not a database, it is a text file that happens to be here"
        try text.write(toFile: cache, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run("songatlas", [
            "playlists", "SampleAudio/piano-01.flac", "SampleAudio/piano-02.flac", "--cache", cache,
            "--out", directory.file("o")])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("this is not a SongAtlas cache"), result.standardError)
        XCTAssertTrue(result.standardError.contains("analysed 2, cached 0"), result.standardError)
        XCTAssertEqual(try String(contentsOfFile: cache, encoding: .utf8), text)
    }
}

/// Unreadable files and folders, as a user without permission meets them.
/// As root every file is readable, so the command runs as `nobody` through
/// `runuser`; as any other user it runs directly.
final class PermissionTests: XCTestCase {
    func testUnreadableFileAndFolderAreReportedAndTheRunGoesOn() throws {
        let directory = try TemporaryDirectory()
        defer {
            chmod(directory.file("music/locked-folder"), 0o755)
            directory.remove()
        }
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music + "/locked-folder", withIntermediateDirectories: true)
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1), to: music + "/good.wav", sampleRate: 22050)
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1), to: music + "/locked.wav", sampleRate: 22050)
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1), to: music + "/locked-folder/inner.wav",
                                  sampleRate: 22050)
        chmod(directory.path, 0o755)
        chmod(music, 0o755)
        chmod(music + "/good.wav", 0o644)
        chmod(music + "/locked.wav", 0o000)
        chmod(music + "/locked-folder", 0o000)

        let executable = CommandRunner.productsDirectory.appendingPathComponent("songatlas").path
        let result: CommandResult
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else {
                throw XCTSkip("running as root without runuser: permission errors cannot be provoked")
            }
            // nobody must be able to reach the executable and the test folder.
            guard access(executable, X_OK) == 0 else { throw XCTSkip("executable not reachable") }
            result = try CommandRunner.runAbsolute("/usr/sbin/runuser", ["-u", "nobody", "--", executable, "analyze",
                                                                         "--format", "csv", music])
            if result.standardError.contains("Permission denied") && result.standardOutput.isEmpty {
                throw XCTSkip("nobody cannot run the test build here: \(result.standardError)")
            }
        } else {
            result = try CommandRunner.run("songatlas", ["analyze", "--format", "csv", music])
        }
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("good.wav,,,,WAV/FLOAT"), result.standardOutput)
        XCTAssertTrue(result.standardError.contains("locked.wav: permission denied"), result.standardError)
        XCTAssertTrue(result.standardError.contains("locked-folder: permission denied"), result.standardError)
        XCTAssertTrue(result.standardError.contains("analysed 1, failed 2"), result.standardError)
    }
}

/// `songatlas segment` and `songatlas evaluate segments`.
final class SegmentCommandTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testHelpMatchesGoldenFiles() throws {
        for (arguments, file) in [(["segment", "--help"], "help-segment.txt"),
                                  (["evaluate", "segments", "--help"], "help-evaluate-segments.txt")] {
            let result = try CommandRunner.run("songatlas", arguments)
            XCTAssertEqual(result.status, 0)
            if let mismatch = goldenMismatch(result.standardOutput, file: file, in: Self.golden) { XCTFail(mismatch) }
        }
    }

    func testAudacityLabelsPlotAndScoreAgainstTheReference() throws {
        let labels = directory.file("abca.txt")
        let plot = directory.file("abca.html")
        let result = try CommandRunner.run("songatlas", [
            "segment", "SampleAudio/structured-abca.flac", "--format", "audacity", "-o", labels, "--plot", plot])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = try String(contentsOfFile: labels, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.map { $0.split(separator: "\t").last! }, ["A", "B", "C", "A"])
        XCTAssertTrue(lines.allSatisfy { $0.split(separator: "\t").count == 3 })
        let html = try String(contentsOfFile: plot, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "class=\"section\"").count - 1, 4)
        XCTAssertTrue(html.contains("id=\"novelty\""))

        let scores = try CommandRunner.run("songatlas", [
            "evaluate", "segments", "--reference", "SampleAudio/structured-abca.sections.tsv", "--estimate", labels, "--json"])
        XCTAssertEqual(scores.status, 0, scores.standardError)
        let agreement = try JSONDecoder().decode(SegmentAgreement.self, from: Data(scores.standardOutput.utf8))
        XCTAssertEqual(agreement.hitRate05.fMeasure, 1)
        XCTAssertGreaterThan(agreement.pairwise.fMeasure, 0.95)
    }

    func testJSONAndCSVOutputs() throws {
        let json = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac"])
        XCTAssertEqual(json.status, 0, json.standardError)
        let document = try JSONDecoder().decode(SegmentationDocument.self, from: Data(json.standardOutput.utf8))
        XCTAssertEqual(document.sections.map(\.label), ["A", "B", "A", "B"])
        XCTAssertEqual(document.novelty.times.count, document.novelty.values.count)
        XCTAssertTrue(document.novelty.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        let csv = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac", "--format", "csv",
                                                      "--method", "kmeans"])
        XCTAssertEqual(csv.status, 0, csv.standardError)
        XCTAssertTrue(csv.standardOutput.hasPrefix("start,end,label,confidence\n0.000000,"))
    }

    func testBadReferenceNamesTheLine() throws {
        try "0\t10\tA\n8\t20\tB\n".write(toFile: directory.file("ref.lab"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.run("songatlas", [
            "evaluate", "segments", "--reference", directory.file("ref.lab"), "--estimate", directory.file("ref.lab")])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardError,
                       "songatlas: \(directory.file("ref.lab")):2: interval 8.0–20.0 overlaps line 1, which ends at 10.0\n")
    }

    func testShortTrackGivesOneSectionAndANote() throws {
        let result = try CommandRunner.run("songatlas", ["segment", "SampleAudio/piano-01.flac", "--min-section", "10",
                                                         "--excerpt", "12", "--format", "csv"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput.split(separator: "\n").count, 2)
        XCTAssertTrue(result.standardError.contains("note:"), result.standardError)
    }
}

/// `songatlas map`, checked in a real browser.
final class MapCommandTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// Loads `page#selftest` in headless Chromium and returns what the page's own self-test found.
    func browserSelfTest(_ page: String) throws -> (errors: [String], songs: Int, tooltip: String?) {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            throw XCTSkip("headless Chromium is not installed (scripts/setup installs the Debian package chromium); "
                + "the browser test did not run")
        }
        let result = try CommandRunner.runAbsolute(chromium, [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom",
            URL(fileURLWithPath: page).absoluteString + "#selftest"], timeoutSeconds: 60)
        let dump = result.standardOutput
        guard let element = dump.range(of: "id=\"selftest-result\""),
              let start = dump.range(of: ">", range: element.upperBound..<dump.endIndex),
              let end = dump.range(of: "</pre>", range: start.upperBound..<dump.endIndex)
        else {
            XCTFail("no self-test result in the page (status \(result.status)): \(result.standardError.suffix(500))")
            return ([], 0, nil)
        }
        // The page writes ASCII-only JSON, so the dump's HTML escaping cannot touch it.
        let text = String(dump[start.upperBound..<end.lowerBound])
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        return (json["errors"] as? [String] ?? ["unreadable errors"], json["songs"] as? Int ?? -1, json["tooltip"] as? String)
    }

    func testHelpMatchesGoldenFile() throws {
        let result = try CommandRunner.run("songatlas", ["map", "--help"])
        XCTAssertEqual(result.status, 0)
        if let mismatch = goldenMismatch(result.standardOutput, file: "help-map.txt", in: Self.golden) { XCTFail(mismatch) }
    }

    func testSampleAudioMapRendersInABrowser() throws {
        let page = directory.file("map.html")
        let result = try CommandRunner.run("songatlas", ["map", "SampleAudio", "--out", page, "--cache",
                                                         directory.file("cache.sqlite")])
        XCTAssertEqual(result.status, 0, result.standardError)
        for name in ["map.html", "map.svg", "map.json", "map.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file(name)), name)
        }
        let document = try JSONDecoder().decode(SongMapDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("map.json"))))
        XCTAssertEqual(document.songs.count, 18)
        XCTAssertEqual(document.codebook.count, document.width * document.height)
        XCTAssertEqual(document.uMatrix.count, document.width * document.height)
        XCTAssertTrue(document.uMatrix.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        // Written outside the music folder: songs play through absolute file URLs.
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("file:///"), "expected absolute audio URLs")
        XCTAssertFalse(html.contains("http://") && html.contains("<script src"), "the page must not load anything")

        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        XCTAssertEqual(browser.songs, 18)
        let first = document.songs[0]
        XCTAssertTrue(browser.tooltip?.contains(first.title!) == true, "tooltip \(browser.tooltip ?? "nil")")
    }

    func testHostileTitlesAreEscapedAndTheMapStaysValid() throws {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let hostile = "<script>alert(1)</script>"
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 3), to: music + "/quote \"it's\" & <b>.wav",
                                  sampleRate: 22050, title: hostile, artist: "\"Bobby\" </title><img src=x onerror=alert(2)>")
        // A second song identical to the first: they share one spot, with a note.
        try FileManager.default.copyItem(atPath: music + "/quote \"it's\" & <b>.wav", toPath: music + "/copy.wav")
        let page = music + "/map.html"
        let result = try CommandRunner.run("songatlas", ["map", music, "--out", page, "--no-cache", "--grid", "6x6"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("most units will stay empty"), result.standardError)
        XCTAssertTrue(result.standardError.contains("same features"), result.standardError)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertFalse(html.contains(hostile))
        XCTAssertFalse(html.contains("<img src=x"))
        // Inside the music folder: relative, percent-encoded audio URLs.
        XCTAssertTrue(html.contains("quote%20%22it's%22%20&%20%3Cb%3E.wav") || html.contains("quote%20%22it"), html)

        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        XCTAssertEqual(browser.songs, 2)
        XCTAssertTrue(browser.tooltip?.contains(hostile) == true, "the title shows as text: \(browser.tooltip ?? "nil")")
    }

    func testOneSongGivesAValidMapAndANote() throws {
        let result = try CommandRunner.run("songatlas", ["map", "SampleAudio/piano-01.flac", "--out",
                                                         directory.file("one.html"), "--no-cache"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("one song"), result.standardError)
        let document = try JSONDecoder().decode(SongMapDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("one.json"))))
        XCTAssertEqual(document.songs.count, 1)
    }
}

extension MapCommandTests {
    /// A page with 20,000 songs still loads, draws every dot and answers a hover.
    func testTwentyThousandSongsRender() throws {
        var generator = SeededGenerator(seed: 3)
        let side = 700
        let cells = (0..<(side / 10 * side / 10)).map { index in
            SongMapDrawing.Cell(x: Double(index / (side / 10)), y: Double(index % (side / 10)), height: generator.nextUnit())
        }
        let songs = (0..<20_000).map { index in
            SongMapDrawing.Song(x: generator.nextUnit() * 69, y: generator.nextUnit() * 69, title: "Song \(index)",
                                artist: "Artist \(index % 97)", path: "/music/\(index).flac", source: "file:///music/\(index).flac",
                                cluster: index % 9)
        }
        let drawing = SongMapDrawing(title: "Large", hexagonal: false, cells: cells, songs: songs,
                                     clusterNames: (0..<9).map { "Playlist \($0)" })
        let page = directory.file("large.html")
        try OutputDestination.resolve(page).write(try drawing.html())
        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        XCTAssertEqual(browser.songs, 20_000)
        XCTAssertEqual(browser.tooltip?.hasPrefix("Artist 0 – Song 0"), true, browser.tooltip ?? "nil")
    }
}
