import Clustering
import Export
import FilePaths
import Foundation
import TestSupport
import XCTest

/// The readers of files a user hands SongAtlas (label files, reference CSVs, playlists.json):
/// bounded reads, bounded times, and one line naming the file, the line and the value.
final class LabelFileReaderTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func sections(_ text: String) throws -> [Section] { try SegmentFile.parse(Data(text.utf8), name: "f.txt") }

    private func refusal(_ text: String) -> String? {
        do {
            _ = try sections(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: Times

    func testTimesOutOfBoundsAreRefusedWithLineAndValue() {
        XCTAssertEqual(refusal("0\t1e308\tA\n"), "f.txt:1: end 1e+308 s is past the limit of 1000000 s")
        XCTAssertEqual(refusal("0\t10\tA\n10\t1e9\tB\n"), "f.txt:2: end 1000000000.0 s is past the limit of 1000000 s")
        XCTAssertEqual(refusal("0\t10\tA\n\n1e8\t1.5e8\tB\n"), "f.txt:3: start 100000000.0 s is past the limit of 1000000 s")
        XCTAssertEqual(refusal("nan\t10\tA\n"), "f.txt:1: start nan is not a finite number of seconds")
        XCTAssertEqual(refusal("0\tinf\tA\n"), "f.txt:1: end inf is not a finite number of seconds")
        XCTAssertEqual(refusal("-1\t10\tA\n"), "f.txt:1: start -1.0 is negative")
        XCTAssertEqual(refusal("5\t5\tA\n"), "f.txt:1: end 5.0 is not after start 5.0")
        XCTAssertEqual(refusal("0\t10\tA\n20\t30\tB\n15\t18\tC\n"),
                       "f.txt:3: interval 15.0–18.0 is not sorted: it starts before line 2")
        XCTAssertEqual(refusal("0\t10\tA\n8\t20\tB\n"), "f.txt:2: interval 8.0–20.0 overlaps line 1, which ends at 10.0")
        XCTAssertNil(refusal("0\t1000000\tA\n"))
    }

    func testBinaryEmptyAndHugeLinesAreRefusedInOneLine() throws {
        XCTAssertEqual(refusal("0\t10\tA\u{0}\n"), "f.txt: not a text file (a NUL byte at offset 6)")
        XCTAssertEqual(refusal(""), "f.txt: no intervals")
        XCTAssertEqual(refusal("# only a comment\n\n"), "f.txt: no intervals")
        let huge = String(repeating: "x", count: 5_000_000)
        XCTAssertEqual(refusal("0\t1\tA\n" + huge + "\n"), "f.txt:2: the line is longer than 65536 bytes")
        let longest = "0\t1\t" + String(repeating: "x", count: UserTextFile.maximumLineBytes - 4)
        XCTAssertEqual(try sections(longest + "\r\n1\t2\tB\r3\t4\tC").map(\.end), [1, 2, 4])
        XCTAssertEqual(refusal(longest + "y\n"), "f.txt:1: the line is longer than 65536 bytes")
        XCTAssertEqual(refusal("0\t1\tA\r\n1\t0.5\tB\r\n"), "f.txt:2: end 0.5 is not after start 1.0")
    }

    // MARK: Formats

    func testCSVWithHeaderAndQuotedLabelsReadsBack() throws {
        let document = SegmentationDocument(
            path: "song.flac", method: "structure", durationSeconds: 30,
            sections: [Section(start: 0, end: 12.5, label: "A, \"intro\"", confidence: 1),
                       Section(start: 12.5, end: 30, label: "B", confidence: 0.25)],
            novelty: .init(times: [], values: []), notes: [])
        let read = try SegmentFile.parse(Data(document.renderedCSV().utf8), name: "s.csv")
        XCTAssertEqual(read.map(\.label), ["A, \"intro\"", "B"])
        XCTAssertEqual(read.map(\.end), [12.5, 30])
        XCTAssertEqual(try SegmentFile.parse(Data(document.renderedAudacityLabels().utf8), name: "s.txt").map(\.label),
                       ["A, \"intro\"", "B"])
    }

    func testLabFilesWithMixedSeparatorsAndCommasInLabels() throws {
        let read = try sections("0.0 10.0\tverse, one\n10  20 \t chorus,  two\n20\t\t30\tC\n30,40,D\n")
        XCTAssertEqual(read.map(\.label), ["verse, one", "chorus,  two", "C", "D"])
        XCTAssertEqual(read.map(\.start), [0, 10, 20, 30])
    }

    /// NaN and infinity written by `JSONOutput` read back through `SegmentFile` (issue 20): non-finite values
    /// where they are allowed (the novelty, a confidence) come back; a non-finite time is refused by name.
    func testSegmentJSONWithNonFiniteValuesReadsBack() throws {
        var document = SegmentationDocument(
            path: "song.flac", method: "structure", durationSeconds: 30,
            sections: [Section(start: 0, end: 12.5, label: "A", confidence: .nan),
                       Section(start: 12.5, end: 30, label: "B", confidence: 1)],
            novelty: .init(times: [0, 1], values: [.nan, .infinity]), notes: [])
        let json = Data(try document.renderedJSON().utf8)
        let read = try SegmentFile.parse(json, name: "s.json")
        XCTAssertEqual(read.map(\.end), [12.5, 30])
        let decoded = try JSONOutput.decoder().decode(SegmentationDocument.self, from: json)
        XCTAssertTrue(decoded.novelty.values[0].isNaN)
        XCTAssertEqual(decoded.novelty.values[1], .infinity)
        XCTAssertTrue(decoded.sections[0].confidence.isNaN)

        document.sections[1].end = .infinity
        XCTAssertThrowsError(try SegmentFile.parse(Data(try document.renderedJSON().utf8), name: "s.json")) { error in
            XCTAssertEqual("\(error)", "s.json:section 2: end inf is not a finite number of seconds")
        }
        XCTAssertThrowsError(try SegmentFile.parse(Data("{\"sections\": 3}".utf8), name: "s.json")) { error in
            XCTAssertTrue("\(error)".hasPrefix("s.json: not a segmentation JSON written by songatlas ("), "\(error)")
        }
    }

    func testNonFiniteNumbersRoundTripThroughJSONOutput() throws {
        struct Values: Codable { var values: [Double]; var single: Float }
        let written = Values(values: [.nan, .infinity, -.infinity, 1.5, -0.0], single: .nan)
        let data = try JSONOutput.encoder().encode(written)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"nan\""))
        let read = try JSONOutput.decoder().decode(Values.self, from: data)
        XCTAssertEqual(read.values.map(\.bitPattern).dropFirst(), written.values.map(\.bitPattern).dropFirst())
        XCTAssertTrue(read.values[0].isNaN)
        XCTAssertTrue(read.single.isNaN)
    }

    /// A playlists.json with NaN where SongAtlas may write it reads back; a duration out of bounds is refused.
    func testPlaylistsJSONReadsBackNonFiniteAndRefusesBadDurations() throws {
        let path = directory.file("playlists.json")
        func document(secondDuration: Double) -> PlaylistDocument {
            let tracks = [PlaylistDocument.Track(path: "a.flac", title: nil, artist: nil, album: nil, durationSeconds: 30,
                                                 distanceToCentroid: .nan),
                          PlaylistDocument.Track(path: "b.flac", title: nil, artist: nil, album: nil,
                                                 durationSeconds: secondDuration, distanceToCentroid: .infinity)]
            return PlaylistDocument(featureVersion: 1, k: 1, kScores: [], seed: 0, weights: ["timbre": .nan],
                                    metrics: .init(silhouette: .nan, daviesBouldin: nil, calinskiHarabasz: nil, inertia: nil,
                                                   agreement: nil, labelledTrackCount: nil),
                                    notes: [], playlists: [.init(name: "1", file: "1.m3u8", tracks: tracks)])
        }
        let read = try PlaylistDocument.parse(try JSONOutput.encoder().encode(document(secondDuration: 31)), name: path)
        XCTAssertTrue(read.playlists[0].tracks[0].distanceToCentroid.isNaN)
        XCTAssertEqual(read.playlists[0].tracks[1].distanceToCentroid, .infinity)
        XCTAssertTrue(try XCTUnwrap(read.metrics.silhouette).isNaN)
        for duration in [1e308, .nan, -3, .infinity, 1e6 + 1] {
            let data = try JSONOutput.encoder().encode(document(secondDuration: duration))
            XCTAssertThrowsError(try PlaylistDocument.parse(data, name: path)) { error in
                XCTAssertEqual("\(error)", "\(path): playlist 1, track 2: durationSeconds \(duration) "
                    + "is not a duration from 0 to 1000000 s")
            }
        }
        XCTAssertThrowsError(try PlaylistDocument.parse(Data("{}".utf8), name: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path): not a playlists.json written by songatlas (missing "), "\(error)")
        }
    }

    // MARK: Reference CSVs

    func testReferenceCSVRows() throws {
        let rows = try ReferenceLabelFile.parse(Data("path,label\n\"a, b.flac\",rock\nc.flac , jazz\n\n".utf8), name: "l.csv")
        XCTAssertEqual(rows.map(\.path), ["a, b.flac", "c.flac"])
        XCTAssertEqual(rows.map(\.label), ["rock", "jazz"])
        XCTAssertEqual(rows.map(\.line), [2, 3])
        XCTAssertThrowsError(try ReferenceLabelFile.parse(Data("a.flac rock\n".utf8), name: "l.csv")) { error in
            XCTAssertEqual("\(error)", "l.csv:1: expected `path,label`, got `a.flac rock`")
        }
        XCTAssertThrowsError(try ReferenceLabelFile.parse(Data("a.flac,rock\n\u{0}".utf8), name: "l.csv")) { error in
            XCTAssertEqual("\(error)", "l.csv: not a text file (a NUL byte at offset 12)")
        }
        // A Latin-1 name keeps its bytes (it names that file exactly).
        let latin1 = try ReferenceLabelFile.parse(Data([0x63, 0x61, 0x66, 0xE9, 0x2C, 0x61, 0x0A]), name: "l.csv")
        XCTAssertEqual(latin1.map(\.path), [RawPath.string([0x63, 0x61, 0x66, 0xE9])])
        XCTAssertEqual(latin1.map(\.label), ["a"])
        // A header naming path and playlist columns (playlists.csv) is read by its columns.
        let playlists = try ReferenceLabelFile.parse(
            Data("playlist,position,title,path,uri\n01 - a,1,T,/m/x.flac,\n02 - b,1,U,/m/y\\xE9.flac,file:///m/y%E9.flac\n".utf8),
            name: "p.csv")
        XCTAssertEqual(playlists.map(\.label), ["01 - a", "02 - b"])
        XCTAssertEqual(playlists.map(\.path), ["/m/x.flac", RawPath.string(Array("/m/y".utf8) + [0xE9] + Array(".flac".utf8))])
    }

    // MARK: Bounded reads

    func testDevicesFIFOsFoldersAndLargeFilesAreRefusedBeforeReading() throws {
        func refusal(_ path: String, maximumBytes: Int = UserTextFile.maximumBytes) -> String? {
            do {
                _ = try UserTextFile.data(path, maximumBytes: maximumBytes)
                return nil
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(refusal("/dev/zero"), "/dev/zero: a character device, not a regular file")
        XCTAssertEqual(refusal("/dev/urandom"), "/dev/urandom: a character device, not a regular file")
        XCTAssertEqual(refusal(directory.url.path), "\(directory.url.path): a folder, not a regular file")
        let fifo = directory.file("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(refusal(fifo), "\(fifo): a FIFO (named pipe), not a regular file")
        XCTAssertEqual(refusal(directory.file("missing")), "\(directory.file("missing")): no such file")
        XCTAssertEqual(refusal(""), "an empty path is not a file")
        let large = directory.file("large.txt")
        try Data(repeating: 0x41, count: 1001).write(to: URL(fileURLWithPath: large))
        XCTAssertEqual(refusal(large, maximumBytes: 1000), "\(large): 1001 bytes is too large; at most 1000 bytes are read")
        XCTAssertNil(refusal(large, maximumBytes: 1001))
        XCTAssertEqual(try UserTextFile.data(large, maximumBytes: 1001).count, 1001)
        XCTAssertEqual(UserTextFile.maximumBytes, 64 << 20)
    }
}
