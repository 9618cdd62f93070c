import AudioDecoding
import Features
import Foundation
@testable import Library
import TestSupport
import XCTest

/// The binary cache record (cache schema 5, ``BinaryRecordFormat``): every field comes back bit for bit,
/// the JSON of schemas 2–4 still reads to the same record, and a record with any byte changed or cut
/// short is refused, never trusted.
final class BinaryRecordTests: XCTestCase {
    /// A record with every field set: tags, both decoders' fields, two embeddings, a fingerprint and a cue track.
    static func fullTrack(path: String = "/music/album.flac", cueTrackNumber: Int? = 2, seed: Int = 1) -> TrackAnalysis {
        let width = SummaryLayout.current.dimensionCount
        let offset = Float(seed)
        let summaryValues: [Float] = (0..<width).map { Float($0) * 0.37 - 5 + offset }
        let embeddings: [SongEmbedding] = [MusicnnModel.msd, MusicnnModel.mtt].map { (model: MusicnnModel) -> SongEmbedding in
            let values: [Float] = (0..<MusicnnModel.embeddingDimensionCount).map { Float($0) * 0.01 - offset }
            let tags: [Float] = (0..<model.tags.count).map { Float($0) / Float(model.tags.count) }
            let budget: PatchBudget = model == .msd ? .all : .default
            return SongEmbedding(model: model, values: values, tagProbabilities: tags, patchCount: 9,
                                 isPadded: model == .msd, patchBudget: budget)
        }
        var track = TrackAnalysis(
            path: path, title: "Tïtle \(seed) — ✓", artist: "Ärtist", album: "Album", format: "FLAC/PCM_24",
            durationSeconds: 187.25 + Double(seed), sampleRate: 96000, channelCount: 2, analyzedSeconds: 30.5,
            analyzedStartSeconds: 78.125, nonFiniteSampleCount: 3, summary: SongSummary(values: summaryValues),
            trackNumber: 7, discNumber: 2, decoder: .ffmpeg, embeddings: embeddings)
        track.durationNote = "header says 3116529 s, decoded 187.3 s"
        let items: [UInt32] = (0..<1500).map { (index: Int) -> UInt32 in UInt32(index) &* 2_654_435_761 &+ UInt32(seed) }
        track.fingerprint = AudioFingerprint(values: items, fingerprintedSeconds: 186.5)
        if let cueTrackNumber {
            track.cueTrack = CueSheetTrack(audioPath: path, sheetPath: "/music/album.cue", isEmbedded: false,
                                           trackNumber: cueTrackNumber, startSample: 441_000, endSample: 9_261_000,
                                           sampleRate: 44100, title: "Second", performer: nil, album: "Album")
        }
        return track
    }

    func testCRC32IsZlibs() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926, "the CRC-32 check value")
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
        XCTAssertEqual(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)), 0x414F_A339)
        // Eight bytes at a time and the tail byte by byte give what one byte at a time gives, at every split.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = CRC32.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            XCTAssertEqual(CRC32.checksum(bytes[split...], continuing: CRC32.checksum(bytes[..<split])), whole, "split at \(split)")
        }
    }

    func testEveryFieldComesBackBitForBit() throws {
        for cueTrackNumber in [2, nil] {
            let track = Self.fullTrack(cueTrackNumber: cueTrackNumber)
            let record = CachedTrack(track)
            let bytes = record.encoded()
            XCTAssertEqual(Array(bytes.prefix(4)), BinaryRecordFormat.magic)
            let decoded = try CachedTrack.decode(bytes)
            XCTAssertEqual(decoded, record)
            let back = try XCTUnwrap(decoded.track(path: track.path))
            XCTAssertEqual(back, track)
            XCTAssertEqual(back.summary.values.map(\.bitPattern), track.summary.values.map(\.bitPattern))
            XCTAssertEqual(back.fingerprint?.values, track.fingerprint?.values)
            // The same record as schema 4 stored it (JSON) reads back to the same record.
            XCTAssertEqual(try CachedTrack.decode(JSONEncoder().encode(record)), record)
            XCTAssertLessThan(bytes.count, try JSONEncoder().encode(record).count, "binary is smaller than JSON")
        }
    }

    func testNonFiniteAndExtremeValuesComeBackBitForBitBeforeTheChecks() throws {
        var record = CachedTrack(Self.fullTrack(cueTrackNumber: nil))
        let odd: [Float] = [.nan, -.infinity, .infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        record.summaryValues = CachedTrack.bytes(of: odd + [Float(bitPattern: 0x7FC0_1234)])
        record.durationSeconds = -.infinity
        record.nonFiniteSampleCount = .min
        record.trackNumber = .max
        let decoded = try CachedTrack.decodeBinary(record.encoded())
        XCTAssertEqual(decoded.summaryValues, record.summaryValues, "the bytes, NaN payload included")
        XCTAssertEqual(decoded.durationSeconds, -.infinity)
        XCTAssertEqual(decoded.nonFiniteSampleCount, .min)
        XCTAssertEqual(decoded.trackNumber, .max)
        // And the checks refuse them as they refuse them in JSON.
        XCTAssertThrowsError(try CachedTrack.decode(record.encoded())) { error in
            XCTAssertTrue(error is CachedRecordError, "\(error)")
        }
    }

    func testTheValueChecksRefuseABinaryRecordAsTheyRefuseAJSONOne() throws {
        let good = CachedTrack(Self.fullTrack(cueTrackNumber: nil))
        let edits: [(String, (inout CachedTrack) -> Void)] = [
            ("durationSeconds=3e+30", { $0.durationSeconds = 3e30 }),
            ("sampleRate=0", { $0.sampleRate = 0 }),
            ("nonFiniteSampleCount=-1", { $0.nonFiniteSampleCount = -1 }),
            ("summary value", { $0.summaryValues = CachedTrack.bytes(of: [.nan] + Array(repeating: 1, count: SummaryLayout.current.dimensionCount - 1)) }),
            ("the summary has 800 bytes", { $0.summaryValues = CachedTrack.bytes(of: Array(repeating: 1, count: 200)) }),
            ("tag probabilities hold", { $0.embeddings?[0].tagProbabilities = CachedTrack.bytes(of: Array(repeating: 2, count: MusicnnModel.msd.tags.count)) }),
        ]
        for (detail, edit) in edits {
            var record = good
            edit(&record)
            for (form, bytes) in [("binary", record.encoded()), ("JSON", try JSONEncoder().encode(record))] {
                XCTAssertThrowsError(try CachedTrack.decode(bytes), "\(form): \(detail)") { error in
                    XCTAssertTrue("\(error)".contains(detail), "\(form): \(error)")
                }
            }
        }
    }

    func testEveryTruncationAndEveryChangedByteIsRefused() throws {
        let bytes = CachedTrack(Self.fullTrack()).encoded()
        XCTAssertGreaterThan(bytes.count, 7000, "a record with a 1500-item fingerprint and two embeddings")
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try CachedTrack.decode(bytes.prefix(length)), "cut to \(length) bytes")
        }
        XCTAssertThrowsError(try CachedTrack.decode(bytes + [0]), "one byte too many")
        var checksumRefusals = 0
        for offset in 0..<bytes.count {
            var changed = bytes
            changed[offset] ^= 0x5A
            XCTAssertThrowsError(try CachedTrack.decode(changed), "byte \(offset) changed") { error in
                if "\(error)".contains("fails its checksum") { checksumRefusals += 1 }
            }
        }
        // Past the magic, version and length, it is the checksum that finds the change.
        XCTAssertEqual(checksumRefusals, bytes.count - 4 - 2 - 4, "every change past the magic, version and length")
    }

    func testAnUnknownFieldIsSkippedAndAMissingOrRepeatedOneRefused() throws {
        let record = CachedTrack(Self.fullTrack(cueTrackNumber: nil))
        func rebuilt(dropping dropped: UInt8? = nil, adding extra: [(UInt8, Data)] = []) -> Data {
            var writer = BinaryRecordWriter()
            record.encoded().dropFirst(BinaryRecordFormat.headerSize).withUnsafeBytes { payload in
                var reader = BinaryRecordReader(payload)
                while let field = try? reader.next() {
                    if field.tag != dropped { writer.bytes(field.tag, field.data()) }
                }
            }
            for (tag, bytes) in extra { writer.bytes(tag, bytes) }
            return writer.record()
        }
        XCTAssertEqual(try CachedTrack.decode(rebuilt()), record, "the same fields give the same record")
        XCTAssertEqual(try CachedTrack.decode(rebuilt(adding: [(200, Data("a later field".utf8))])), record,
                       "a field this SongAtlas does not know is skipped")
        XCTAssertThrowsError(try CachedTrack.decode(rebuilt(dropping: BinaryRecordTag.summaryValues))) { error in
            XCTAssertEqual("\(error)", "the binary record has no field \(BinaryRecordTag.summaryValues)")
        }
        XCTAssertThrowsError(try CachedTrack.decode(rebuilt(adding: [(BinaryRecordTag.durationSeconds, Data(count: 8))]))) { error in
            XCTAssertTrue("\(error)".contains("appears twice"), "\(error)")
        }
        XCTAssertThrowsError(try CachedTrack.decode(rebuilt(dropping: 64, adding: [(64, Data([0xFF, 0xFE]))]))) { error in
            XCTAssertTrue("\(error)".contains("not UTF-8"), "\(error)")
        }
    }

    func testAnotherFormatVersionIsRefusedByName() throws {
        var bytes = CachedTrack(Self.fullTrack()).encoded()
        bytes[4] = 2
        XCTAssertThrowsError(try CachedTrack.decode(bytes)) { error in
            XCTAssertEqual(error as? CachedRecordError,
                           CachedRecordError("the binary record is of format version 2; this SongAtlas reads version 1"))
        }
    }
}
