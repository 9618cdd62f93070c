import Export
import FilePaths
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// Every command over the hostile corpus (``HostileCorpus``, also written by
/// `scripts/make-hostile-corpus`): each bad file gets its own error, the good
/// ones get results, nothing crashes, hangs or writes NaN.
///
/// As root, the commands run as `nobody` (through `runuser`) so that the
/// unreadable file and folder really are unreadable.
final class HostileInputTests: XCTestCase {
    /// A per-file limit far below what the ten-hour file needs (over a minute even in a
    /// release build on an idle machine: 36,000 s of audio at about 600× realtime), and
    /// far above what the others need (under a second each, idle). At 4 s this test
    /// failed when the machine was busy: a two-second drum loop and the 8-channel
    /// 192 kHz file ran out of time in the debug build.
    static let timeLimit = "20"

    func testEveryCommandReportsBadFilesAndKeepsGoing() throws {
        let directory = try TemporaryDirectory()
        let music = directory.file("hostile")
        defer {
            HostileCorpus.restorePermissions(in: music)
            directory.remove()
        }
        let entries = try HostileCorpus.write(in: music, tenHourSilence: true)
        let runner = try UnprivilegedRunner(folder: directory)
        let unreadableExpected = runner.isUnprivileged

        // analyze: every entry has the outcome it should.
        let analyze = try runner.run(["analyze", music, "--file-time-limit", Self.timeLimit])
        XCTAssertEqual(analyze.status, 0, analyze.standardError)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(analyze.standardOutput.utf8))
        let names = { (path: String) in RawPath.display(String(path.dropFirst(music.count + 1))) }
        let analysed = Set(report.tracks.map { names($0.path) })
        let failures = Dictionary(report.failures.map { (names($0.path), $0.error) }, uniquingKeysWith: { $1 })
        for entry in entries {
            let outcome = "\(entry.name): analysed \(analysed.contains(entry.name)), error \(failures[entry.name] ?? "none")"
            switch entry.expectation {
            case .analysed:
                XCTAssertTrue(analysed.contains(entry.name), outcome)
            case let .reported(text):
                XCTAssertTrue(failures[entry.name]?.contains(text) == true, outcome)
            case .unreadable:
                if unreadableExpected {
                    XCTAssertTrue(failures[entry.name]?.contains("permission denied") == true, outcome)
                } else if !entry.name.hasSuffix("-folder") {
                    XCTAssertTrue(analysed.contains(entry.name), outcome)
                }
            case .analysedOrReported:
                XCTAssertTrue(analysed.contains(entry.name) || failures[entry.name] != nil, outcome)
            }
        }
        XCTAssertTrue(report.tracks.allSatisfy { $0.summary.values.allSatisfy(\.isFinite) })
        // Headers that lie about the length: the decoded length, with a note naming the file.
        for (name, longest) in [("lying-header.flac", 3.5), ("truncated-faststart.m4a", 2.5)]
        where entries.contains(where: { $0.name == name }) {
            let track = report.tracks.first { names($0.path) == name }
            XCTAssertLessThanOrEqual(track?.durationSeconds ?? .infinity, longest, name)
            XCTAssertTrue(analyze.standardError.contains(name + ": header says "), "\(name): \(analyze.standardError)")
        }
        XCTAssertNil(Self.nonFiniteToken(in: analyze.standardOutput))
        let goodCount = report.tracks.count

        // The ten-hour file is fine when only an excerpt is asked for.
        let excerpt = try runner.run(["analyze", music + "/ten-hours-of-silence.wav", "--excerpt", "20", "--format", "csv"])
        XCTAssertEqual(excerpt.status, 0, excerpt.standardError)
        XCTAssertNil(Self.nonFiniteToken(in: excerpt.standardOutput))
        XCTAssertTrue(excerpt.standardOutput.contains(",36000.0,22050,1,20.0,"), excerpt.standardOutput)

        // playlists and map: the same tracks, outputs whole and free of NaN.
        let playlistsFolder = directory.file("out/playlists")
        let playlists = try runner.run(["playlists", music, "--out", playlistsFolder, "--no-cache", "--keep-copies",
                                        "--file-time-limit", Self.timeLimit])
        XCTAssertEqual(playlists.status, 0, playlists.standardError)
        let document = try String(contentsOfFile: playlistsFolder + "/playlists.json", encoding: .utf8)
        XCTAssertEqual(try JSONDecoder().decode(PlaylistDocument.self, from: Data(document.utf8))
            .playlists.map(\.tracks.count).reduce(0, +), goodCount)
        XCTAssertTrue(playlists.standardError.contains("ten-hours-of-silence.wav: stopped at the per-file time limit"),
                      playlists.standardError)

        let mapPage = directory.file("out/map/map.html")
        let map = try runner.run(["map", music, "--out", mapPage, "--no-cache", "--keep-copies", "--file-time-limit", Self.timeLimit])
        XCTAssertEqual(map.status, 0, map.standardError)
        for output in try FileManager.default.subpathsOfDirectory(atPath: directory.file("out")) {
            let path = directory.file("out/" + output)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            XCTAssertNil(Self.nonFiniteToken(in: text), output)
        }

        // segment, file by file: a result or a clear error, never a crash. (A name
        // that is not UTF-8 cannot be passed through Foundation's Process, which
        // encodes arguments as UTF-8; MixedFolderCommandTests passes one through a shell.)
        for entry in entries where RawPath.isText(entry.relativePath) {
            let result = try runner.run(["segment", music + "/" + entry.relativePath, "--format", "csv",
                                         "--file-time-limit", Self.timeLimit])
            XCTAssertTrue(result.status == 0 || (result.status == 1 && result.standardError.hasPrefix("songatlas: ")),
                          "\(entry.name): status \(result.status), \(result.standardError)")
            XCTAssertNil(Self.nonFiniteToken(in: result.standardOutput), entry.name)
            if entry.expectation == .analysed { XCTAssertEqual(result.status, 0, "\(entry.name): \(result.standardError)") }
        }
    }

    /// A NaN or infinity where a number goes in JSON or CSV, if any.
    static func nonFiniteToken(in text: String) -> String? {
        guard let match = text.range(of: #"[:,\[]\s*"?[+-]?(nan|inf)"#, options: [.regularExpression, .caseInsensitive])
        else { return nil }
        return String(text[match])
    }
}

/// Runs `songatlas` as `nobody` when the tests run as root and `runuser`
/// can do it, so that permission checks hold; directly otherwise.
struct UnprivilegedRunner {
    let executable: String
    /// True when the commands run without root's right to read everything.
    let isUnprivileged: Bool

    init(folder: TemporaryDirectory) throws {
        executable = CommandRunner.productsDirectory.appendingPathComponent("songatlas").path
        guard getuid() == 0 else {
            isUnprivileged = true
            return
        }
        // nobody must reach the executable and write the outputs.
        chmod(folder.path, 0o777)
        let probe = FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
            ? try? CommandRunner.runAbsolute("/usr/sbin/runuser", ["-u", "nobody", "--", executable, "--version"])
            : nil
        isUnprivileged = probe?.status == 0
    }

    func run(_ arguments: [String]) throws -> CommandResult {
        isUnprivileged && getuid() == 0
            ? try CommandRunner.runAbsolute("/usr/sbin/runuser", ["-u", "nobody", "--", executable] + arguments,
                                            timeoutSeconds: 300)
            : try CommandRunner.runAbsolute(executable, arguments, timeoutSeconds: 300)
    }
}
