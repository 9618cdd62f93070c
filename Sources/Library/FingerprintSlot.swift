import Features
import Foundation
import Synchronization

/// Where a track's fingerprint is: in memory, or still in the cache record the track was read from.
///
/// A fingerprint is about 1,000 items (4 KB) per song, most of a cache record, and only the duplicate
/// search compares it. So ``FeatureCache/loadAll()`` leaves it in the record and the track holds this
/// slot: reading ``TrackAnalysis/fingerprint`` reads it from the record then (once), and
/// ``TrackAnalysis/loadFingerprints(_:)`` reads those of many tracks in one pass over the cache.
/// A slot never changes what it holds once read; setting ``TrackAnalysis/fingerprint`` replaces the
/// slot, so a track keeps value semantics.
///
/// A slot read from a record also carries that record's ``recordStamp``: its CRC-32 and length, which
/// change whenever the fingerprint could (what the one-copy search's memo compares instead of the items).
public final class FingerprintSlot: Sendable {
    /// The record a fingerprint is still in: its cache, its row, and its stamp.
    struct StoredRecord: Sendable {
        var cache: FeatureCache
        var path: String
        var cueTrack: Int
    }

    /// The record's stamp (``recordStamp``) when the slot was read from a cache record; nil otherwise.
    public let recordStamp: UInt64?
    /// The record to read the fingerprint from, while it has not been read; nil for a slot made in memory.
    let stored: StoredRecord?
    /// The fingerprint once known: `.some(nil)` for none; nil while it is still only in its record.
    private let value: Mutex<AudioFingerprint??>

    /// A slot holding `fingerprint` in memory.
    init(_ fingerprint: AudioFingerprint?) {
        recordStamp = nil
        stored = nil
        value = Mutex(.some(fingerprint))
    }

    /// A slot of a cache record whose fingerprint is already known (`fingerprint`, read with it).
    init(_ fingerprint: AudioFingerprint?, recordStamp: UInt64) {
        self.recordStamp = recordStamp
        stored = nil
        value = Mutex(.some(fingerprint))
    }

    /// A slot whose fingerprint is still in the record `stored`, stamped `recordStamp`.
    init(stored: StoredRecord, recordStamp: UInt64) {
        self.recordStamp = recordStamp
        self.stored = stored
        value = Mutex(nil)
    }

    /// A record's stamp: its CRC-32 in the high half, its length in bytes in the low half.
    static func stamp(crc: UInt32, length: Int) -> UInt64 {
        UInt64(crc) << 32 | UInt64(UInt32(truncatingIfNeeded: length))
    }

    /// Whether the fingerprint has still to be read from its record.
    var isPending: Bool { value.withLock { $0 == nil } }

    /// The fingerprint, read from its record the first time when it is still there.
    ///
    /// A record that has changed since the track was read (its stamp differs), or can no longer be read,
    /// gives no fingerprint: the song is then compared by distance, as a record without one is.
    var fingerprint: AudioFingerprint? {
        if let known = value.withLock({ $0 }) { return known }
        guard let stored else { return nil }
        let read = (try? stored.cache.fingerprint(path: stored.path, cueTrack: stored.cueTrack,
                                                  recordStamp: recordStamp ?? 0)) ?? nil
        resolve(read)
        return value.withLock { $0 } ?? nil
    }

    /// Sets the fingerprint read from the record; a slot already resolved keeps what it holds.
    func resolve(_ fingerprint: AudioFingerprint?) {
        value.withLock { if $0 == nil { $0 = .some(fingerprint) } }
    }
}

extension TrackAnalysis {
    /// The stamp of the cache record this track's fingerprint comes from (its CRC-32 and length), or nil
    /// when the fingerprint was made or set in memory.
    ///
    /// Two tracks with one stamp hold one fingerprint; what the one-copy search's memo compares in place of
    /// the items, so that a warm run need not read them.
    public var fingerprintRecordStamp: UInt64? { fingerprintSlot.recordStamp }

    /// The cache this track's record was read from (where its fingerprint waits while unread), or nil.
    public var sourceCache: FeatureCache? { fingerprintSlot.stored?.cache }

    /// Reads the fingerprints that are still in their cache records for all of `tracks`, in one pass over
    /// each cache, so that a search over every track's fingerprint does not read them one by one.
    ///
    /// - Complexity: one read of each cache's records when many fingerprints wait, else one query per track.
    public static func loadFingerprints(_ tracks: [TrackAnalysis]) {
        var pending: [ObjectIdentifier: (cache: FeatureCache, slots: [FingerprintSlot])] = [:]
        for track in tracks {
            let slot = track.fingerprintSlot
            guard let stored = slot.stored, slot.isPending else { continue }
            pending[ObjectIdentifier(stored.cache), default: (stored.cache, [])].slots.append(slot)
        }
        for (cache, slots) in pending.values { cache.loadFingerprints(slots) }
    }
}

extension FingerprintSlot: Equatable {
    /// Two slots are equal when they hold equal fingerprints (read from their records when needed),
    /// wherever they were read from.
    public static func == (lhs: FingerprintSlot, rhs: FingerprintSlot) -> Bool {
        lhs === rhs || lhs.fingerprint == rhs.fingerprint
    }
}
