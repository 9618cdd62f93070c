import Features

/// How well two Chromaprint fingerprints agree at their best alignment.
///
/// The method of AcoustID's matcher, simplified: items (one per
/// ``AudioFingerprint/itemSeconds``) that are equal in both fingerprints vote
/// for an offset between them (the leading silence one copy has and the other
/// lacks); at the few offsets with the most votes, each overlapping pair of
/// items is compared bit by bit, and an item matches when at most
/// ``maximumBitErrors`` of its 32 bits differ (two unrelated items: about 1 in
/// 300; two items of one recording re-encoded at 96 kbit/s or more, or played
/// 4 dB louder: most). The score is the share of the shorter fingerprint's
/// items that match, so a copy matches over most of the shorter file while a
/// fade-out or a few seconds cut lower it only by their length.
public struct FingerprintMatch: Sendable, Equatable {
    /// The share of the shorter fingerprint's items that match at ``offsetItems``, in [0, 1].
    public var score: Double
    /// Items the second fingerprint is shifted by against the first (positive: it starts later).
    public var offsetItems: Int

    /// At most this many of an item's 32 bits may differ for it to match.
    public static let maximumBitErrors = 8
    /// The widest offset searched, in items (about 30 s).
    public static let maximumOffsetItems = 240

    /// The two fingerprints' best match, or nil when they share no item at a plausible offset.
    ///
    /// - Parameters:
    ///   - first, second: raw fingerprint items (``AudioFingerprint/values``).
    /// - Complexity: O(n + m) to vote (through a table of the first's items), then O(min(n, m)) per offset tried.
    public static func best(_ first: [UInt32], _ second: [UInt32]) -> FingerprintMatch? {
        guard !first.isEmpty, !second.isEmpty else { return nil }
        var positions: [UInt32: [Int]] = [:]
        for (index, value) in first.enumerated() { positions[value, default: []].append(index) }
        var votes: [Int: Int] = [:]
        for (index, value) in second.enumerated() {
            // A value repeated everywhere (silence) says nothing about the offset.
            guard let found = positions[value], found.count <= 8 else { continue }
            for position in found {
                let offset = index - position
                if abs(offset) <= maximumOffsetItems { votes[offset, default: 0] += 1 }
            }
        }
        // The strongest offsets, and their neighbours (a drift of one item at a re-encode).
        let strongest = votes.sorted { $0.value != $1.value ? $0.value > $1.value : abs($0.key) < abs($1.key) }.prefix(3)
        var tried = Set<Int>()
        var best: FingerprintMatch?
        for (offset, _) in strongest {
            for candidate in (offset - 1)...(offset + 1) where tried.insert(candidate).inserted {
                let score = score(first, second, offsetItems: candidate)
                if score > (best?.score ?? -1) { best = FingerprintMatch(score: score, offsetItems: candidate) }
            }
        }
        return best
    }

    /// The share of the shorter fingerprint's items that match when `second` is shifted by `offsetItems`.
    public static func score(_ first: [UInt32], _ second: [UInt32], offsetItems: Int) -> Double {
        let shorter = min(first.count, second.count)
        guard shorter > 0 else { return 0 }
        // second[index] lines up with first[index - offsetItems].
        let start = max(0, offsetItems)
        let end = min(second.count, first.count + offsetItems)
        var matched = 0
        if start < end {
            for index in start..<end where (first[index - offsetItems] ^ second[index]).nonzeroBitCount <= maximumBitErrors {
                matched += 1
            }
        }
        return Double(matched) / Double(shorter)
    }
}
