import Features

extension DuplicateFinder {
    /// One item in this many (by value) is indexed for every fingerprint (``fingerprintCandidates(_:)``).
    static let indexedItemShare = 4
    /// A fingerprint with fewer items than this (about 63 s) is short: all its items are indexed, and so is every
    /// item of a longer fingerprint that a short one holds, so its pairs follow the rule of the full index.
    static let shortFingerprintItems = 512
    /// Indexed items two long fingerprints (``shortFingerprintItems``) must share to be a candidate pair.
    static let longFingerprintSharedItems = 2
    /// Items two fingerprints must share to be scored (each held by at most ``maximumItemHolders`` fingerprints).
    static let sharedItemsToScore = 3
    /// An item held by more fingerprints than this is silence or a test tone: it makes no pairs.
    static let maximumItemHolders = 32

    /// A fingerprint item's hash: a bijection of `UInt32` (an odd multiplier) that spreads values over the range.
    @inline(__always)
    static func itemHash(_ value: UInt32) -> UInt32 { value &* 0x9E37_79B1 }

    /// Whether an item is in the fixed quarter of all values (``indexedItemShare``) indexed for every fingerprint,
    /// so that two copies index the same items they share.
    @inline(__always)
    static func isSampled(_ hash: UInt32) -> Bool { hash >> 30 == 0 }

    /// The pairs of fingerprints that may hold one recording, to be scored by ``FingerprintMatch/best(_:_:)``.
    ///
    /// The rule of the full index, kept lean: a pair is a candidate when its fingerprints share at least
    /// ``sharedItemsToScore`` items, each held by at most ``maximumItemHolders`` fingerprints. Only a quarter of
    /// the items are indexed (``isSampled(_:)``), plus every item of a short fingerprint (``shortFingerprintItems``)
    /// and every item of a long one that some short one holds. So a pair with a short fingerprint is found exactly
    /// as by the full index; two long fingerprints must share ``longFingerprintSharedItems`` indexed items, and
    /// then ``sharedItemsToScore`` items in all. Two long copies that score ``borderlineThreshold`` agree on more
    /// than 100 items, most of them exactly, so a quarter of those still names the pair (`BigSimilarCandidateTests`
    /// checks every pair of SampleAudio's tracks and their re-encodes, and seeded synthetic copies).
    ///
    /// - Parameters:
    ///   - fingerprints: each file's usable fingerprint items (``AudioFingerprint/values``), nil for none.
    /// - Returns: candidate pairs `(a, b)` with `a < b`, ordered by `a` then `b`.
    /// - Complexity: O(total items) time and O(total items / ``indexedItemShare``) memory (one flat array, bucket
    ///   sorted by hash), O(pairs sharing an indexed item) to count, O(items) per pair of long fingerprints to check.
    static func fingerprintCandidates(_ fingerprints: [[UInt32]?]) -> [(a: Int, b: Int)] {
        // The items short fingerprints hold, as a bit set of their hash's top 26 bits (8 MB; a false hit only
        // adds an entry); empty when there is no short fingerprint.
        let shortItems: [UInt64] = {
            var bits: [UInt64] = []
            for values in fingerprints {
                guard let values, values.count < shortFingerprintItems else { continue }
                if bits.isEmpty { bits = [UInt64](repeating: 0, count: 1 << 20) }
                for value in values {
                    let bit = Int(itemHash(value) >> 6)
                    bits[bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
            return bits
        }()
        let anyShort = !shortItems.isEmpty
        @inline(__always) func indexed(_ hash: UInt32, short: Bool) -> Bool {
            if short || isSampled(hash) { return true }
            guard anyShort else { return false }
            let bit = Int(hash >> 6)
            return shortItems[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }

        // Every file's indexed item hashes, as (hash << 32 | file), bucket sorted by the hash's top 16 bits
        // (two passes over the items: no per-file copy), then sorted within each bucket.
        var bucketStarts = [Int](repeating: 0, count: (1 << 16) + 1)
        for values in fingerprints {
            guard let values else { continue }
            let short = values.count < shortFingerprintItems
            for value in values {
                let hash = itemHash(value)
                if indexed(hash, short: short) { bucketStarts[Int(hash >> 16) + 1] += 1 }
            }
        }
        for bucket in 1..<bucketStarts.count { bucketStarts[bucket] += bucketStarts[bucket - 1] }
        var entries = [UInt64](repeating: 0, count: bucketStarts.last ?? 0)
        var next = bucketStarts
        for (file, values) in fingerprints.enumerated() {
            guard let values else { continue }
            let short = values.count < shortFingerprintItems
            for value in values {
                let hash = itemHash(value)
                guard indexed(hash, short: short) else { continue }
                let bucket = Int(hash >> 16)
                entries[next[bucket]] = UInt64(hash) << 32 | UInt64(file)
                next[bucket] += 1
            }
        }
        next = []
        for bucket in 0..<(bucketStarts.count - 1) where bucketStarts[bucket + 1] - bucketStarts[bucket] > 1 {
            entries[bucketStarts[bucket]..<bucketStarts[bucket + 1]].sort()
        }

        // Pairs of files holding one indexed item, as (a << 32 | b); a file holding an item twice counts once.
        var pairs: [UInt64] = []
        var holders: [UInt64] = []
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end] >> 32 == entries[start] >> 32 { end += 1 }
            if end - start > 1 {
                holders.removeAll(keepingCapacity: true)
                for entry in entries[start..<end] where holders.last != entry & 0xFFFF_FFFF { holders.append(entry & 0xFFFF_FFFF) }
                if holders.count > 1 && holders.count <= maximumItemHolders {
                    for first in 0..<holders.count {
                        for second in (first + 1)..<holders.count { pairs.append(holders[first] << 32 | holders[second]) }
                    }
                }
            }
            start = end
        }
        entries = []
        pairs.sort()

        var candidates: [(a: Int, b: Int)] = []
        start = 0
        while start < pairs.count {
            var end = start + 1
            while end < pairs.count && pairs[end] == pairs[start] { end += 1 }
            let (a, b, sharedIndexed) = (Int(pairs[start] >> 32), Int(pairs[start] & 0xFFFF_FFFF), end - start)
            start = end
            guard let first = fingerprints[a], let second = fingerprints[b] else { continue }
            if min(first.count, second.count) < shortFingerprintItems {
                // Every item they share is indexed: the count is the full index's.
                guard sharedIndexed >= sharedItemsToScore else { continue }
            } else {
                guard sharedIndexed >= longFingerprintSharedItems,
                      Set(first).intersection(second).count >= sharedItemsToScore else { continue }
            }
            candidates.append((a, b))
        }
        return candidates
    }

    /// The pairs of files to compare by distance: one of the two has no usable fingerprint, and their lengths
    /// agree within ``distanceLengthTolerance`` of the longer plus 0.25 s.
    ///
    /// The same pairs as comparing every pair, found by sorting the files by length and looking, from each file
    /// without a fingerprint, only at the files of about its length.
    ///
    /// - Parameters:
    ///   - durations: each file's length in seconds.
    ///   - hasFingerprint: whether each file has a usable fingerprint.
    /// - Returns: pairs `(a, b)` with `a < b`, ordered by `a` then `b`.
    /// - Complexity: O(n log n) to sort, then O(m × w) for the m files without a fingerprint and the w files
    ///   within each one's length window.
    static func distanceCandidates(_ durations: [Double], hasFingerprint: [Bool]) -> [(a: Int, b: Int)] {
        let order = durations.indices.sorted { durations[$0] != durations[$1] ? durations[$0] < durations[$1] : $0 < $1 }
        // Longer lengths only grow the gap faster than the tolerance (0.98 × longer − shorter rises with the longer),
        // so the scan stops at the first file past the window; a margin covers rounding, the exact test decides.
        func pastWindow(_ shorter: Double, _ longer: Double) -> Bool {
            longer - shorter > distanceLengthTolerance * longer + 0.25 + 1e-9 * max(1, longer)
        }
        var pairs: [(a: Int, b: Int)] = []
        for (rank, file) in order.enumerated() where !hasFingerprint[file] {
            var up = rank + 1
            while up < order.count, !pastWindow(durations[file], durations[order[up]]) {
                pairs.append((min(file, order[up]), max(file, order[up])))
                up += 1
            }
            // Below: files with a fingerprint only (a pair of two without one is taken from its shorter file).
            var down = rank - 1
            while down >= 0, !pastWindow(durations[order[down]], durations[file]) {
                if hasFingerprint[order[down]] { pairs.append((min(file, order[down]), max(file, order[down]))) }
                down -= 1
            }
        }
        return pairs.filter { lengthsAgree(durations[$0.a], durations[$0.b], share: distanceLengthTolerance, seconds: 0.25) }
            .sorted { $0.a != $1.a ? $0.a < $1.a : $0.b < $1.b }
    }
}
