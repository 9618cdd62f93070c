import AudioDecoding
import Export
import Features
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// A cue track given where a command takes a path (`FILE.cue#N`, `FILE.flac#N`): `map`,
/// `duplicates` and `segment` take that one track, over its range of the album image, and a
/// track number the sheet lacks gives one line naming the sheet and the tracks it has.
///
/// The image holds four SampleAudio recordings (22,050 Hz mono, whole seconds long, so every
/// `INDEX 01` falls on a cue frame); `loose/` holds the same samples as four files.
final class CueTrackPathCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    static let sources = ["dnb-01", "piano-01", "structured-abab", "chiptune-01"]
    var image: String { directory.file("image/Album.flac") }
    var sheet: String { directory.file("image/Album.cue") }
    /// Each track's start in the image, in seconds.
    var starts: [Double] = []
    var lengths: [Double] = []

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        for folder in ["image", "loose"] {
            try FileManager.default.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
        }
        var all: [Float] = []
        var sheetText = "TITLE \"Album\"\nPERFORMER \"Band\"\nFILE \"Album.flac\" WAVE\n"
        for (index, name) in Self.sources.enumerated() {
            let source = repositoryRoot.appendingPathComponent("SampleAudio/\(name).flac").path
            let decoder = try AudioDecoder(path: source)
            XCTAssertEqual(decoder.info.sampleRate, 22050, name)
            let samples = try decoder.decodeAll()
            XCTAssertEqual(samples.count % 22050, 0, "\(name) must be whole seconds long")
            let start = all.count / 22050
            starts.append(Double(start))
            lengths.append(Double(samples.count) / 22050)
            sheetText += "  TRACK 0\(index + 1) AUDIO\n    TITLE \"Song \(index + 1)\"\n"
                + String(format: "    INDEX 01 %02d:%02d:00\n", start / 60, start % 60)
            all += samples
            try AudioFileWriter.write(samples, to: directory.file("loose/\(index + 1).flac"), sampleRate: 22050, format: .flac16)
        }
        try AudioFileWriter.write(all, to: image, sampleRate: 22050, format: .flac16, title: "Album", artist: "Band")
        try sheetText.write(toFile: sheet, atomically: true, encoding: .utf8)
    }

    override func tearDown() { directory?.remove() }

    private func songatlas(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run("songatlas", arguments)
    }

    func testMapTakesOneCueTrackGivenAsAPath() throws {
        let page = directory.file("map/map.html")
        let result = try songatlas(["map", sheet + "#3", directory.file("loose"), "--out", page, "--no-cache",
                                    "--features", "handcrafted", "--keep-copies", "-q"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let document = try JSONDecoder().decode(SongMapDocument.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: directory.file("map/map.json"))))
        XCTAssertEqual(document.songs.count, 5, "four loose files and the one track, not the whole image")
        let fromImage = document.songs.filter { ($0.path as NSString).lastPathComponent == "Album.flac" }
        XCTAssertEqual(fromImage.count, 1)
        XCTAssertEqual(fromImage.first?.title, "Song 3")
        XCTAssertEqual(try XCTUnwrap(fromImage.first?.durationSeconds), lengths[2], accuracy: 1e-6)
        // The track's range travels with it: map.json, the CSV, the page's player and a saved selection.
        let cue = try XCTUnwrap(fromImage.first?.cue)
        XCTAssertEqual(cue.track, 3)
        XCTAssertEqual(cue.startSeconds, starts[2], accuracy: 1e-9)
        XCTAssertEqual(cue.endSeconds, starts[2] + lengths[2], accuracy: 1e-9)
        XCTAssertEqual(cue.sheet, sheet)
        XCTAssertTrue(document.songs.filter { $0.path != image }.allSatisfy { $0.cue == nil })
        let csv = try String(contentsOfFile: directory.file("map/map.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(csv[0].hasSuffix(",uri,track,start,end"), String(csv[0]))
        let imageRow = try XCTUnwrap(csv.first { $0.contains("Album.flac") })
        XCTAssertTrue(imageRow.hasSuffix(",3,\(starts[2]),\(starts[2] + lengths[2])"), String(imageRow))
        XCTAssertEqual(csv.filter { $0.hasSuffix(",,,") }.count, 4, "the loose files' cue columns are empty")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let fragment = String(format: "Album.flac#t=%.3f,%.3f", starts[2], starts[2] + lengths[2])
        XCTAssertTrue(html.contains(fragment), "the player plays the track's range only")
        XCTAssertTrue(html.contains(String(format: "#EXTVLCOPT:start-time=%g", starts[2])), "a saved selection's range entry")
    }

    func testDuplicatesFindsTheLooseCopyOfACueTrackGivenAsAPath() throws {
        let result = try songatlas(["duplicates", image + "#2", directory.file("loose"), "--no-cache", "--format", "json",
                                    "-q"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        XCTAssertEqual(object["files"] as? Int, 5)
        let groups = try XCTUnwrap(object["groups"] as? [[String: Any]])
        let members = groups.map { group in
            Set([group["keep"] as? String ?? ""] + (group["copies"] as? [String] ?? []))
                .map { ($0 as NSString).lastPathComponent }.sorted()
        }
        // The report names an image's track as the seeds do, FILE#N.
        XCTAssertEqual(members, [["2.flac", "Album.flac#2"]], result.standardOutput)
    }

    func testATrackTheSheetLacksIsOneLineNamingTheSheetAndItsTracks() throws {
        let result = try songatlas(["duplicates", sheet + "#9", directory.file("loose"), "--no-cache"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardError.split(separator: "\n").filter { $0.contains("#9") }
        XCTAssertEqual(lines, ["songatlas: skipped \(sheet)#9: \(sheet): the sheet has no audio track 9; "
                                + "it has 4 audio tracks: 1, 2, 3, 4"], result.standardError)
        XCTAssertTrue(result.standardOutput.contains("among 4 files"), result.standardOutput)
        let zero = try songatlas(["analyze", sheet + "#0", "--no-cache", "-o", directory.file("zero.json")])
        XCTAssertNotEqual(zero.status, 0)
        XCTAssertTrue(zero.standardError.contains("skipped \(sheet)#0: a cue track is written FILE.cue#N"), zero.standardError)
    }

    /// `analyze Album.cue` analyses the tracks the sheet describes, each over its range (the image is not
    /// also a whole song), once even when the image's folder is named too.
    func testAnalyzeGivenASheetTakesItsTracks() throws {
        for arguments in [[sheet], [sheet, directory.file("image")], [directory.file("image"), sheet]] {
            let out = directory.file("sheet.json")
            let result = try songatlas(["analyze"] + arguments + ["--no-cache", "-q", "--embedding", "none", "-o", out])
            XCTAssertEqual(result.status, 0, result.standardError)
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
            let tracks = try XCTUnwrap(object?["tracks"] as? [[String: Any]], "\(arguments)")
            XCTAssertEqual(tracks.compactMap { $0["track"] as? Int }, [1, 2, 3, 4], "\(arguments)")
            XCTAssertEqual(tracks.count, 4, "\(arguments)")
            let ranges = tracks.compactMap { $0["start"] as? Double }
            XCTAssertEqual(ranges, starts, "\(arguments)")
            XCTAssertNil(object?["errors"].flatMap { ($0 as? [Any])?.first }, "\(arguments)")
        }
        // A sheet naming a file that is not there is one problem naming the sheet; the run goes on.
        let broken = directory.file("image/Broken.cue")
        try "FILE \"gone.flac\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let result = try songatlas(["analyze", broken, directory.file("loose/1.flac"), "--no-cache", "--embedding",
                                    "none", "-o", directory.file("broken.json")])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("skipped \(broken): line 1: FILE \"gone.flac\""), result.standardError)
        XCTAssertTrue(result.standardError.contains("analysed 1,"), result.standardError)
    }

    /// A whole sheet where one song is wanted (`similar Album.cue`, `path Album.cue …`) is one line that
    /// says it is a sheet and names the track arguments to give instead.
    func testAWholeSheetAsASongNamesItsTracks() throws {
        let hint = "\(sheet): cannot be analysed: a cue sheet of 4 tracks, not one song: name a track, as \(sheet)#1 to \(sheet)#4"
        let similar = try songatlas(["similar", sheet, "--library", directory.file("loose"), "--no-cache", "-q",
                                     "--features", "handcrafted"])
        XCTAssertNotEqual(similar.status, 0)
        XCTAssertTrue(similar.standardError.contains(hint), similar.standardError)
        let path = try songatlas(["path", sheet, directory.file("loose/2.flac"), "--library", directory.file("loose"),
                                  "--no-cache", "-q", "--features", "handcrafted"])
        XCTAssertNotEqual(path.status, 0)
        XCTAssertTrue(path.standardError.contains(hint), path.standardError)
        let segment = try songatlas(["segment", sheet, "-o", directory.file("one.json")])
        XCTAssertNotEqual(segment.status, 0)
        XCTAssertTrue(segment.standardError.contains("a cue sheet of 4 tracks, not one song: name a track, as \(sheet)#1 "
                                                     + "to \(sheet)#4; or segment every track with --out DIR"),
                      segment.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("one.json")))
    }

    /// `segment Album.cue#3` equals segmenting the same samples as a loose file: boundaries within one
    /// frame hop, times from the track's start; the JSON and the Audacity labels name the track.
    func testSegmentingACueTrackEqualsSegmentingItsLooseFile() throws {
        func sections(_ path: String) throws -> SegmentationDocument {
            let result = try songatlas(["segment", path, "--format", "json"])
            XCTAssertEqual(result.status, 0, result.standardError)
            return try JSONDecoder().decode(SegmentationDocument.self, from: Data(result.standardOutput.utf8))
        }
        let hop = Double(STFTConfiguration().hopLength) / Double(STFTConfiguration().sampleRate)
        let loose = try sections(directory.file("loose/3.flac"))
        XCTAssertNil(loose.cueTrack)
        for argument in [sheet + "#3", image + "#3"] {
            let track = try sections(argument)
            XCTAssertEqual(track.path, image)
            XCTAssertEqual(track.cueTrack, CueTrackReference(track: 3, startSeconds: starts[2],
                                                             endSeconds: starts[2] + lengths[2], sheet: sheet))
            XCTAssertEqual(track.durationSeconds, loose.durationSeconds, accuracy: hop)
            XCTAssertGreaterThan(loose.sections.count, 1, "structured-abab has sections to find")
            XCTAssertEqual(track.sections.map(\.label), loose.sections.map(\.label))
            for (cut, looseCut) in zip(track.sections, loose.sections) {
                XCTAssertEqual(cut.start, looseCut.start, accuracy: hop)
                XCTAssertEqual(cut.end, looseCut.end, accuracy: hop)
            }
        }
        let labels = try songatlas(["segment", sheet + "#3", "--format", "audacity"])
        XCTAssertEqual(labels.status, 0, labels.standardError)
        let first = labels.standardOutput.split(separator: "\n").first.map(String.init)
        XCTAssertEqual(first, "0.000000\t0.000000\tcue track 3 of Album.cue: Album.flac from "
                        + String(format: "%.6f s to %.6f s", starts[2], starts[2] + lengths[2]) + "; times from the track's start")
        // The label file reads back as its sections alone.
        let labelFile = directory.file("track3.txt")
        try labels.standardOutput.write(toFile: labelFile, atomically: true, encoding: .utf8)
        XCTAssertEqual(try SegmentFile.read(labelFile).count, loose.sections.count)

        let missing = try songatlas(["segment", sheet + "#7"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.standardError,
                       "songatlas: \(sheet)#7: \(sheet): the sheet has no audio track 7; it has 4 audio tracks: 1, 2, 3, 4\n")
    }

    /// `segment --out` over the image's folder segments track by track (`Album - 03.txt`), and
    /// a track argument adds that one track; `--ignore-cue` segments the image whole.
    func testSegmentRunsSplitAnImageIntoItsTracks() throws {
        let out = directory.file("labels")
        let result = try songatlas(["segment", directory.file("image"), "--out", out, "--no-cache", "-q"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let written = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(written, ["Album - 01.txt", "Album - 02.txt", "Album - 03.txt", "Album - 04.txt", "sections.json"])
        let run = try JSONDecoder().decode(SegmentRunDocument.self,
                                           from: Data(contentsOf: URL(fileURLWithPath: out + "/sections.json")))
        XCTAssertEqual(run.tracks.map { $0.segmentation.cueTrack?.track }, [1, 2, 3, 4])
        for (index, track) in run.tracks.enumerated() {
            XCTAssertEqual(track.segmentation.durationSeconds, lengths[index], accuracy: 0.05)
            XCTAssertEqual(track.segmentation.sections.last?.end ?? 0, lengths[index], accuracy: 0.05)
        }
        let one = directory.file("one")
        let single = try songatlas(["segment", sheet + "#2", directory.file("loose/1.flac"), "--out", one, "--no-cache", "-q"])
        XCTAssertEqual(single.status, 0, single.standardError)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: one).filter { !$0.hasPrefix(".") }.sorted(),
                       ["1.txt", "Album - 02.txt", "sections.json"])
        let whole = directory.file("whole")
        let ignoring = try songatlas(["segment", directory.file("image"), "--out", whole, "--no-cache", "-q", "--ignore-cue"])
        XCTAssertEqual(ignoring.status, 0, ignoring.standardError)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: whole).filter { !$0.hasPrefix(".") }.sorted(),
                       ["Album.txt", "sections.json"])
    }
}
