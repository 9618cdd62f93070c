import AudioDecoding
import Foundation
import GRDB
import Library
import SyntheticAudio

/// Real SongAtlas caches with one record edited to hold a value SongAtlas could
/// not have computed: what a bad disk, a bug in another version or a hostile
/// edit leaves behind.
///
/// A small music folder is analysed into `pristine.sqlite` through the library
/// itself (``LibraryAnalyzer``, so every record is a real one); each case is a
/// copy in which the record of `music/song1.wav` (the `record` column, see
/// `CachedTrack`) is edited and written back with SQL: either read, turned into
/// the JSON that caches of schema 4 and older stored (which every SongAtlas still
/// reads), edited there and written back as JSON; or, as binary, changed by one
/// byte or cut short.
enum DamagedCaches {
    /// One case: the cache file's name, and what was done to its record.
    struct Entry {
        var name: String
        var damage: String
    }

    /// The song whose record is edited, relative to the folder written.
    static let victim = "music/song1.wav"

    /// Writes `music/`, `pristine.sqlite` and one damaged copy per case into `folder`.
    ///
    /// - Returns: the damaged caches written.
    /// - Throws: when the music cannot be written or analysed, or a cache cannot be edited.
    static func write(in folder: String) throws -> [Entry] {
        let manager = FileManager.default
        let music = folder + "/music"
        try manager.createDirectory(atPath: music, withIntermediateDirectories: true)
        for (index, frequency) in [220.0, 277, 330, 440].enumerated() {
            try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: 2), to: music + "/song\(index).wav",
                                      sampleRate: 22050)
        }
        let pristine = folder + "/pristine.sqlite"
        if manager.fileExists(atPath: pristine) { try manager.removeItem(atPath: pristine) }
        try analyse(music: music, into: pristine)
        let victimPath = URL(fileURLWithPath: folder + "/" + victim).standardizedFileURL.path

        var entries: [Entry] = []
        for (name, damage, edit) in cases {
            let path = folder + "/" + name
            for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: path + suffix) {
                try manager.removeItem(atPath: path + suffix)
            }
            try manager.copyItem(atPath: pristine, toPath: path)
            try editRecord(of: victimPath, in: path, edit)
            entries.append(Entry(name: name, damage: damage))
        }
        return entries
    }

    /// Analyses `music` into a new cache at `path` and closes it (so the file stands alone, without a WAL).
    private static func analyse(music: String, into path: String) throws {
        let cache = try FeatureCache(path: path)
        let analysis = LibraryAnalyzer.analyze(paths: [music], cache: cache, jobs: 1)
        guard analysis.failures.isEmpty, analysis.tracks.count == 4 else {
            throw CorpusFailure("analysing \(music) failed: \(analysis.failures.map(\.error))")
        }
        // Fold the WAL into the file, so that a copy of the main file is the whole cache.
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        withExtendedLifetime(cache) {}
    }

    /// Replaces the record of `file` in the cache at `path` by `edit` applied to it.
    private static func editRecord(of file: String, in path: String, _ edit: Edit) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT record FROM track WHERE path = ?", arguments: [file])
            else { throw CorpusFailure("\(path) has no record of \(file)") }
            let edited: Data
            switch edit {
            case let .json(change):
                guard var record = try JSONSerialization.jsonObject(with: JSONEncoder().encode(CachedTrack.decode(data)))
                    as? [String: Any]
                else { throw CorpusFailure("the record of \(file) in \(path) is not an object as JSON") }
                change(&record)
                edited = try JSONSerialization.data(withJSONObject: record)
            case let .bytes(change):
                edited = change(data)
            }
            try db.execute(sql: "UPDATE track SET record = ? WHERE path = ?", arguments: [edited, file])
        }
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
    }

    /// Little-endian Float32 values as the record's base64 field holds them.
    private static func floats(_ values: [Float]) -> String {
        var data = Data()
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data.base64EncodedString()
    }

    /// The summary of `record`'s length with `value` at `index` (from the end when negative), the rest 0.5.
    private static func summary(_ record: [String: Any], _ value: Float, at index: Int) -> String {
        let count = (record["summaryValues"] as? String).flatMap { Data(base64Encoded: $0) }.map { $0.count / 4 } ?? 1
        var values = [Float](repeating: 0.5, count: max(count, 1))
        values[index >= 0 ? index : values.count + index] = value
        return floats(values)
    }

    /// How one case changes the record: its fields as JSON, or its stored bytes.
    enum Edit {
        case json((inout [String: Any]) -> Void)
        case bytes((Data) -> Data)
    }

    /// Name, description, edit.
    static var cases: [(String, String, Edit)] { [
        ("duration-3e30.sqlite", "durationSeconds = 3e30", .json { $0["durationSeconds"] = 3e30 }),
        ("duration-minus-1e308.sqlite", "durationSeconds = -1e308", .json { $0["durationSeconds"] = -1e308 }),
        ("duration-zero.sqlite", "durationSeconds = 0", .json { $0["durationSeconds"] = 0 }),
        ("nan-feature.sqlite", "first summary value NaN", .json { $0["summaryValues"] = summary($0, .nan, at: 0) }),
        ("infinite-feature.sqlite", "last summary value +inf", .json { $0["summaryValues"] = summary($0, .infinity, at: -1) }),
        ("vector-200.sqlite", "summary of 200 values", .json { $0["summaryValues"] = floats([Float](repeating: 0.5, count: 200)) }),
        ("negative-count.sqlite", "nonFiniteSampleCount = -1", .json { $0["nonFiniteSampleCount"] = -1 }),
        ("sample-rate-zero.sqlite", "sampleRate = 0", .json { $0["sampleRate"] = 0 }),
        ("channels-huge.sqlite", "channelCount = 100000", .json { $0["channelCount"] = 100_000 }),
        ("not-a-record.sqlite", "durationSeconds is a string", .json { $0["durationSeconds"] = "long" }),
        ("binary-bit-flipped.sqlite", "one bit of the binary record flipped (its checksum no longer matches)", .bytes { data in
            var flipped = data
            flipped[flipped.startIndex + flipped.count / 2] ^= 0x10
            return flipped
        }),
        ("binary-truncated.sqlite", "the binary record cut short by 40 bytes", .bytes { $0.dropLast(40) }),
    ] }

    struct CorpusFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
