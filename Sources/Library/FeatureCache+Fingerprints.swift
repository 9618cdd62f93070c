import Features
import Foundation
import GRDB
import Synchronization

extension FeatureCache {
    /// Fingerprints read in one pass over the records rather than one query each, from this many.
    static let fingerprintPassThreshold = 256

    /// The fingerprint in the record of `path` (and cue track `cueTrack`) now; nil when it has none or is gone.
    ///
    /// - Throws: GRDB's `DatabaseError` when the row cannot be read; ``CachedRecordError`` for a damaged record.
    func fingerprint(path: String, cueTrack: Int) throws -> AudioFingerprint? {
        let data: Data? = try database.read { db in
            let hasTrack = try db.columns(in: "track").contains { $0.name == "track" }
            let row = hasTrack
                ? try Row.fetchOne(db, sql: "SELECT record FROM track WHERE path = ? AND track = ?", arguments: [path, cueTrack])
                : try Row.fetchOne(db, sql: "SELECT record FROM track WHERE path = ?", arguments: [path])
            return row.flatMap { Data.fromDatabaseValue($0[0] as DatabaseValue) }
        }
        guard let data else { return nil }
        return try CachedTrack.decode(data).fingerprint?.fingerprint()
    }

    /// Reads the fingerprints still waiting in this cache's records for `slots`
    /// (``TrackAnalysis/loadFingerprints(_:)``): one query each for a few, one pass over the table for many,
    /// the records decoded on every core. A record whose fingerprint changed (another stamp), is gone or
    /// damaged gives no fingerprint.
    func loadFingerprints(_ slots: [FingerprintSlot]) {
        let waiting = slots.filter(\.isPending)
        guard waiting.count >= Self.fingerprintPassThreshold else {
            for slot in waiting { _ = slot.fingerprint }
            return
        }
        var wanted: [String: [(cueTrack: Int, slot: FingerprintSlot)]] = [:]
        for slot in waiting {
            guard let stored = slot.stored else { continue }
            wanted[stored.path, default: []].append((stored.cueTrack, slot))
        }
        var batch: [(slot: FingerprintSlot, record: Data)] = []
        func decodeBatch() {
            let fetched = batch
            let chunkCount = min(max(fetched.count / 256, 1), ProcessInfo.processInfo.activeProcessorCount)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                for index in (fetched.count * chunk / chunkCount)..<(fetched.count * (chunk + 1) / chunkCount) {
                    let (slot, record) = fetched[index]
                    slot.resolve((try? CachedTrack.decode(record))?.fingerprint?.fingerprint())
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
        try? database.read { db in
            let hasTrack = try db.columns(in: "track").contains { $0.name == "track" }
            let rows = try Row.fetchCursor(db, sql: hasTrack ? "SELECT path, track, record FROM track"
                                                             : "SELECT path, 0, record FROM track")
            while let row = try rows.next() {
                guard let path = String.fromDatabaseValue(row[0] as DatabaseValue), let slots = wanted[path] else { continue }
                let cueTrack = Int.fromDatabaseValue(row[1] as DatabaseValue) ?? 0
                guard let slot = slots.first(where: { $0.cueTrack == cueTrack })?.slot,
                      let record = Data.fromDatabaseValue(row[2] as DatabaseValue) else { continue }
                batch.append((slot, record))
                if batch.count == Self.decodeBatchSize { decodeBatch() }
            }
        }
        decodeBatch()
        // Rows gone (or a read that failed): no fingerprint.
        for slot in waiting { slot.resolve(nil) }
    }
}
