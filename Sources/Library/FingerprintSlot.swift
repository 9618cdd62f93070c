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
/// A slot left in its record carries the fingerprint's ``stamp`` (``stamp(of:)``: a CRC-32 of its items,
/// seconds and version, with its length), taken when the record was read: the fingerprint read later
/// must have it (a record converted to another form still does; one analysed again with another
/// fingerprint does not), and the one-copy search's memo compares it in place of the items.
public final class FingerprintSlot: Sendable {
    /// The record a fingerprint is still in: its cache and its row.
    struct StoredRecord: Sendable {
        var cache: FeatureCache
        var path: String
        var cueTrack: Int
    }

    /// The fingerprint's stamp while it is still in its record (``stamp(of:)``); nil for a slot made in memory.
    let pendingStamp: UInt64?
    /// The record to read the fingerprint from, while it has not been read; nil for a slot made in memory.
    let stored: StoredRecord?
    /// The fingerprint once known: `.some(nil)` for none; nil while it is still only in its record.
    private let value: Mutex<AudioFingerprint??>

    /// A slot holding `fingerprint` in memory.
    init(_ fingerprint: AudioFingerprint?) {
        pendingStamp = nil
        stored = nil
        value = Mutex(.some(fingerprint))
    }

    /// A slot whose fingerprint is still in the record `stored`, with the stamp `stamp`.
    init(stored: StoredRecord, stamp: UInt64) {
        pendingStamp = stamp
        self.stored = stored
        value = Mutex(nil)
    }

    /// A fingerprint's stamp: the CRC-32 of its items (little-endian UInt32), then its seconds and version
    /// (little-endian IEEE 754 double and Int64), in the high half; its items' length in bytes in the low half.
    static func stamp(itemBytes: UnsafeRawBufferPointer, seconds: Double, version: Int) -> UInt64 {
        var tail = [UInt8]()
        withUnsafeBytes(of: seconds.bitPattern.littleEndian) { tail.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(version).littleEndian) { tail.append(contentsOf: $0) }
        let crc = tail.withUnsafeBytes { CRC32.checksum($0, continuing: CRC32.checksum(itemBytes)) }
        return UInt64(crc) << 32 | UInt64(UInt32(truncatingIfNeeded: itemBytes.count))
    }

    /// The stamp of `fingerprint` (see ``stamp(itemBytes:seconds:version:)``).
    public static func stamp(of fingerprint: AudioFingerprint) -> UInt64 {
        fingerprint.values.map(\.littleEndian).withUnsafeBytes {
            stamp(itemBytes: $0, seconds: fingerprint.fingerprintedSeconds, version: fingerprint.version)
        }
    }

    /// Whether the fingerprint has still to be read from its record.
    var isPending: Bool { value.withLock { $0 == nil } }

    /// The fingerprint, read from its record the first time when it is still there.
    ///
    /// A record whose fingerprint is no longer the one stamped (analysed again since), or that can no longer
    /// be read, gives no fingerprint: the song is then compared by distance, as a record without one is.
    var fingerprint: AudioFingerprint? {
        if let known = value.withLock({ $0 }) { return known }
        guard let stored else { return nil }
        resolve((try? stored.cache.fingerprint(path: stored.path, cueTrack: stored.cueTrack)) ?? nil)
        return value.withLock { $0 } ?? nil
    }

    /// Sets the fingerprint read from the record when it has the stamp taken earlier (else none);
    /// a slot already resolved keeps what it holds.
    func resolve(_ fingerprint: AudioFingerprint?) {
        let kept = fingerprint.flatMap { Self.stamp(of: $0) == pendingStamp ? $0 : nil }
        value.withLock { if $0 == nil { $0 = .some(kept) } }
    }

    /// The stamp of the fingerprint held or waiting: the one taken from the record while it waits, else
    /// computed from the items; nil for none.
    var stamp: UInt64? {
        if let pendingStamp, isPending { return pendingStamp }
        return fingerprint.map(Self.stamp(of:))
    }
}

extension TrackAnalysis {
    /// The stamp of this track's fingerprint (``FingerprintSlot/stamp(of:)``: a CRC-32 of its items, seconds
    /// and version, with its length), nil when it has none: taken when its record was read if the fingerprint
    /// is still there, so that asking for it reads nothing.
    ///
    /// What the one-copy search's memo compares in place of the items, so that a warm run need not read them.
    public var fingerprintStamp: UInt64? { fingerprintSlot.stamp }

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
