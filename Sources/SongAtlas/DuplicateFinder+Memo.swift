import Features
import FilePaths
import Foundation
import Library

extension DuplicateFinder {
    /// The version of the search's rules as its memo knows them: raise it whenever a change to the search
    /// (``search(_:space:fileSize:waveformExcerpt:)``, ``fingerprintCandidates(_:)``, ``FingerprintMatch``,
    /// ``WaveformMatch``) can change which files it groups or what it reports, so remembered results are not reused.
    static let memoVersion = 1

    /// The search ``search(_:space:fileSize:waveformExcerpt:)`` makes with its defaults, remembered in the
    /// feature cache the tracks were read from, so that a run over an unchanged library does not search again.
    ///
    /// The result is stored under a digest of everything that decides it (``searchDigest(_:)``): every
    /// track in order, each by its path, cue track, length, damage, format, rate, summary and fingerprint
    /// (its stamp, taken when its record was read), and the search's own version and thresholds. When
    /// the digest matches, the groups, their evidence and the notes are taken as stored and nothing is read
    /// of the fingerprints; the copy kept in each group is chosen again (``keptFirst(_:_:fileSize:)``, sizes
    /// as the files are now), so it is the one a fresh search keeps. Like every cached feature, the memo
    /// trusts that a record describes its file (the folder commands re-analyse a file that changed).
    /// With no cache behind the tracks, or a digest not found, it searches (and stores the result when it can).
    ///
    /// - Parameters:
    ///   - tracks: as for ``search(_:space:fileSize:waveformExcerpt:)``.
    ///   - fileSize: as for ``search(_:space:fileSize:waveformExcerpt:)``.
    /// - Returns: what ``search(_:space:fileSize:waveformExcerpt:)`` returns for `tracks`.
    public static func rememberedSearch(_ tracks: [TrackAnalysis],
                                        fileSize: (String) -> Int64? = DuplicateFinder.fileSize) -> DuplicateSearch {
        guard let cache = tracks.lazy.compactMap(\.sourceCache).first else { return search(tracks, fileSize: fileSize) }
        let digest = searchDigest(tracks)
        if let stored = cache.copySearch(digest: digest),
           let memo = try? JSONDecoder().decode(SearchMemo.self, from: stored),
           let search = memo.search(of: tracks, fileSize: fileSize) {
            return search
        }
        let found = search(tracks, fileSize: fileSize)
        if let memo = SearchMemo(found, of: tracks), let encoded = try? JSONEncoder().encode(memo) {
            cache.storeCopySearch(encoded, digest: digest)
        }
        return found
    }

    /// The digest of everything that decides a search of `tracks` with the default space and checks: 32 hex digits.
    ///
    /// Covers the tracks in order (path, cue track and its range, length, header note, damaged samples,
    /// format, sample rate, summary values, and the fingerprint's stamp, ``TrackAnalysis/fingerprintStamp``:
    /// a CRC-32 of its items, seconds and version, taken when its record was read), the current folder when
    /// a path is relative, and the search's version, thresholds and the fingerprint and summary versions.
    /// - Complexity: O(n × d) for n tracks of d summary values; no fingerprint is read from a record.
    static func searchDigest(_ tracks: [TrackAnalysis]) -> String {
        var digest = StableDigest()
        digest.add(UInt64(memoVersion))
        digest.add(UInt64(AudioFingerprint.version))
        digest.add(UInt64(SongSummary.version))
        for constant in [fingerprintThreshold, borderlineThreshold, distanceFraction, startToleranceSeconds,
                         lengthTolerance, distanceLengthTolerance, WaveformMatch.threshold, AudioFingerprint.minimumSeconds] {
            digest.add(constant.bitPattern)
        }
        for value in [indexedItemShare, shortFingerprintItems, longFingerprintSharedItems, sharedItemsToScore,
                      maximumItemHolders] {
            digest.add(UInt64(value))
        }
        if tracks.contains(where: { !$0.path.hasPrefix("/") }) { digest.add(FileManager.default.currentDirectoryPath) }
        digest.add(UInt64(tracks.count))
        for track in tracks {
            digest.add(track.path)
            digest.add(UInt64(bitPattern: Int64(track.cueTrack?.trackNumber ?? -1)))
            digest.add(UInt64(bitPattern: Int64(track.cueTrack?.startSample ?? -1)))
            digest.add(UInt64(bitPattern: Int64(track.cueTrack?.endSample ?? -1)))
            digest.add(track.durationSeconds.bitPattern)
            digest.add(track.durationNote ?? "\u{0}none")
            digest.add(UInt64(bitPattern: Int64(track.nonFiniteSampleCount)))
            digest.add(track.format)
            digest.add(UInt64(bitPattern: Int64(track.sampleRate)))
            digest.add(UInt64(track.summary.values.count))
            for value in track.summary.values { digest.add(UInt64(value.bitPattern)) }
            if let stamp = track.fingerprintStamp {
                digest.add(1)
                digest.add(stamp)
            } else {
                digest.add(2)
            }
        }
        return digest.hex
    }
}

/// A search's result as its memo stores it: each group's members by their place in the tracks searched,
/// with the weakest link's evidence and score, and the notes as they were written.
struct SearchMemo: Codable, Equatable {
    struct Group: Codable, Equatable {
        /// Indices into the tracks searched, ascending.
        var members: [Int]
        var evidence: DuplicateEvidence
        var score: Double
    }

    struct Note: Codable, Equatable {
        var path: String
        var reason: String
    }

    var groups: [Group]
    var damaged: [Note]
    var distanceOnly: [Note]

    /// The memo of `search`, a search of `tracks`; nil when a member cannot be told apart from another
    /// track (two tracks of one path and cue track), so it would not read back the same.
    init?(_ search: DuplicateSearch, of tracks: [TrackAnalysis]) {
        var index: [SongSlot: Int] = [:]
        for (position, track) in tracks.enumerated() {
            guard index.updateValue(position, forKey: SongSlot(track)) == nil else { return nil }
        }
        var groups: [Group] = []
        for group in search.groups {
            var members: [Int] = []
            for track in [group.keep] + group.copies {
                guard let position = index[SongSlot(track)] else { return nil }
                members.append(position)
            }
            groups.append(Group(members: members.sorted(), evidence: group.evidence, score: group.score))
        }
        self.groups = groups
        damaged = search.damaged.map { Note(path: $0.path, reason: $0.reason) }
        distanceOnly = search.distanceOnly.map { Note(path: $0.path, reason: $0.reason) }
    }

    /// The search this memo stands for over `tracks` (the tracks it was made from): each group's kept copy
    /// chosen again with the files' sizes now, as a fresh search chooses it. Nil when the memo does not fit
    /// `tracks` (an index out of range).
    func search(of tracks: [TrackAnalysis], fileSize: (String) -> Int64?) -> DuplicateSearch? {
        var result: [DuplicateGroup] = []
        for group in groups {
            guard group.members.count > 1, group.members.allSatisfy({ tracks.indices.contains($0) }) else { return nil }
            let ordered = group.members.map { tracks[$0] }
                .sorted { DuplicateFinder.keptFirst($0, $1, fileSize: fileSize) }
            let copies = ordered.dropFirst().sorted { DuplicateFinder.pathPrecedes($0.path, $1.path) }
            result.append(DuplicateGroup(keep: ordered[0], copies: copies, evidence: group.evidence, score: group.score))
        }
        result.sort { DuplicateFinder.pathPrecedes($0.keep.path, $1.keep.path) }
        return DuplicateSearch(groups: result, damaged: damaged.map { ($0.path, $0.reason) },
                               distanceOnly: distanceOnly.map { ($0.path, $0.reason) })
    }

    /// A track's place among the tracks searched: its path and cue track.
    private struct SongSlot: Hashable {
        var path: String
        var cueTrack: Int?
        init(_ track: TrackAnalysis) {
            path = track.path
            cueTrack = track.cueTrackNumber
        }
    }
}

/// A 128-bit digest that is the same in every process and on every machine (unlike `Hasher`, which is
/// seeded per process): two 64-bit lanes, FNV-1a over the words and a multiply–xorshift mix, as 32 hex digits.
///
/// For telling apart inputs that changed, not for security.
struct StableDigest {
    private var first: UInt64 = 0xCBF2_9CE4_8422_2325
    private var second: UInt64 = 0x6A09_E667_F3BC_C909

    /// Adds one 64-bit word.
    mutating func add(_ word: UInt64) {
        first = (first ^ word) &* 0x0000_0100_0000_01B3
        second = (second ^ word) &* 0x9E37_79B9_7F4A_7C15
        second ^= second >> 29
    }

    /// Adds a text: its UTF-8 length, then its bytes eight at a time.
    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            add(UInt64(bytes.count))
            var word: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                word |= UInt64(byte) << UInt64((index & 7) * 8)
                if index & 7 == 7 {
                    add(word)
                    word = 0
                }
            }
            if bytes.count & 7 != 0 { add(word) }
        }
    }

    /// The digest as 32 lower-case hex digits.
    var hex: String {
        var last = second ^ (first >> 31)
        last &*= 0xBF58_476D_1CE4_E5B9
        last ^= last >> 27
        return [first, last].map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
