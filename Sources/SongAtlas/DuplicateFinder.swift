import Clustering
import Features
import FilePaths
import Foundation
import Library

/// How two files were found to hold one recording.
public enum DuplicateEvidence: String, Sendable, Equatable, Codable {
    /// Their Chromaprint fingerprints match over most of the shorter file (``FingerprintMatch``).
    case fingerprint
    /// A fingerprint was missing (a file under 3 s, a record from before fingerprints) or borderline,
    /// their feature distance and lengths agree, and (where a fingerprint is missing) their decodes
    /// correlate sample by sample (``WaveformMatch``).
    case distance
}

/// One recording held by several files: the copy kept, the copies set aside, and how they matched.
public struct DuplicateGroup: Sendable, Equatable {
    /// The copy that stays (``DuplicateFinder/keptFirst(_:_:)``).
    public var keep: TrackAnalysis
    /// The other copies, in path order (``DuplicateFinder/pathPrecedes(_:_:)``).
    public var copies: [TrackAnalysis]
    /// The weakest link's evidence: ``DuplicateEvidence/distance`` when any copy joined by distance.
    public var evidence: DuplicateEvidence
    /// The weakest link's score in [0, 1]: the fingerprint's share of matching items, or for
    /// distance the waveform correlation (``WaveformMatch``), or for a borderline fingerprint its share.
    public var score: Double
}

/// What a duplicate search found.
public struct DuplicateSearch: Sendable, Equatable {
    /// Groups of two or more files of one recording, ordered by their kept copy's path.
    public var groups: [DuplicateGroup]
    /// Files left out of the search because they look damaged or cut short (their header's length
    /// disagrees with the decoded one, or they hold damaged samples), and files whose fingerprint is the
    /// start of a longer file's (cut short where the header cannot tell, or an excerpt: searched, but
    /// never grouped with that file), each with the reason.
    public var damaged: [(path: String, reason: String)]
    /// Files matched by distance only because their fingerprint is missing or too short, each with the reason.
    public var distanceOnly: [(path: String, reason: String)]

    /// The copies set aside (every group's ``DuplicateGroup/copies``), as absolute paths (``PathKey``).
    public var setAside: Set<String> {
        Set(groups.flatMap { $0.copies.map { PathKey.of($0.path) } })
    }

    public static func == (lhs: DuplicateSearch, rhs: DuplicateSearch) -> Bool {
        lhs.groups == rhs.groups && lhs.damaged.map(\.path) == rhs.damaged.map(\.path)
            && lhs.distanceOnly.map(\.path) == rhs.distanceOnly.map(\.path)
    }
}

/// Finds the files of a library that hold one recording, and the copy of each to keep.
///
/// Two files hold one recording when their Chromaprint fingerprints match
/// over most of the shorter one (``FingerprintMatch``, score at least
/// ``fingerprintThreshold``): that allows an offset (leading silence), a gain
/// change, lossy encoding at 96 kbit/s and up, and a fade. Where a fingerprint
/// is missing or too short (under ``AudioFingerprint/minimumSeconds``), or the
/// score is borderline (from ``borderlineThreshold``), the two files must
/// also lie closer than ``distanceFraction`` of the library's typical distance
/// in the ``FeatureSpace`` and have lengths within ``distanceLengthTolerance``;
/// where a fingerprint is missing, their decodes must moreover correlate
/// sample by sample (``WaveformMatch``, from ``WaveformMatch/threshold``),
/// because the distance alone cannot tell a clip's MP3 from a different
/// piece (a 1 s sine at 221 Hz lies closer to one at 220 Hz than a 2.5 s
/// clip to its MP3). Tags
/// are never looked at: a live and a studio take of one title are different
/// recordings. Groups are closed under matching (if A matches B and B matches
/// C, all three are one group).
public enum DuplicateFinder {
    /// The fingerprint score from which two files are one recording.
    public static let fingerprintThreshold = 0.5
    /// The fingerprint score from which the feature distance decides.
    public static let borderlineThreshold = 0.2
    /// Distance, as a fraction of the library's typical distance, under which two files may be one recording.
    ///
    /// `scripts/eval-similar` measured re-encoded copies at up to 0.31 of the typical distance from their
    /// originals and the closest two different pieces at 0.32 (``SimilarOptions/defaultDuplicateFraction``);
    /// a 2.5 s clip of a SampleAudio track and its MP3 lie 0.26 to 0.41 apart, depending on the library
    /// around them. 0.45 catches those copies; so that two different pieces that near are not grouped,
    /// their lengths must also agree within 2 % + 0.25 s (``distanceLengthTolerance``). Only a candidate
    /// test: where a fingerprint is missing, the waveform decides (``WaveformMatch``).
    public static let distanceFraction = 0.45
    /// How far, in seconds, a file found to be the start of a longer one may be shifted against it
    /// (leading silence) for it to be reported as cut short.
    public static let startToleranceSeconds = 3.0
    /// Lengths of one recording differ by at most this share of the longer, plus 3 s (leading silence, a fade).
    public static let lengthTolerance = 0.1
    /// For a match by distance alone, lengths differ by at most this share of the longer, plus 0.25 s
    /// (an encoder's padding).
    public static let distanceLengthTolerance = 0.02

    /// Groups `tracks` into recordings held by more than one file.
    ///
    /// - Parameters:
    ///   - tracks: analysed tracks (their fingerprints from the analysis, where they have one).
    ///   - space: the space distances are measured in; default the hand-crafted ``FeatureSpace``.
    ///   - fileSize: a file's size in bytes, for its bit rate in the kept-copy rule; default from the file system.
    ///   - waveformExcerpt: a song's first seconds for the waveform check, or nil when it cannot be decoded;
    ///     default ``WaveformMatch/excerpt(of:)`` (at most ``WaveformMatch/maximumSeconds`` of the song's own
    ///     range: a cue track's, not its image's start). Asked once per song in a candidate pair by distance
    ///     (``WaveformExcerpts``: at most 64 MB of excerpts held; past that a song may be asked again).
    /// - Returns: the groups, and the files left out or matched by distance only.
    /// - Complexity: O(n × items) to index the fingerprints (``fingerprintCandidates(_:)``: a quarter of the
    ///   items held), O(candidate pairs × items) to score them, O(m × w × d) for the distances of the m files
    ///   without a usable fingerprint to the w files of about their length (``distanceCandidates(_:hasFingerprint:)``),
    ///   and one short decode of each song in a candidate pair by distance.
    public static func search(_ tracks: [TrackAnalysis], space: FeatureSpace = FeatureSpace(),
                              fileSize: (String) -> Int64? = DuplicateFinder.fileSize,
                              waveformExcerpt: (TrackAnalysis) -> [Float]? = WaveformMatch.excerpt(of:))
        -> DuplicateSearch {
        // Fingerprints still in their cache records are read in one pass, not one query per track.
        TrackAnalysis.loadFingerprints(tracks)
        var damaged: [(path: String, reason: String)] = []
        var distanceOnly: [(path: String, reason: String)] = []
        var eligible: [Int] = []
        for (index, track) in tracks.enumerated() {
            if let note = track.durationNote {
                damaged.append((track.path, "damaged or cut short (\(note)); not grouped"))
            } else if track.nonFiniteSampleCount > 0 {
                damaged.append((track.path, "holds \(track.nonFiniteSampleCount) damaged samples; not grouped"))
            } else {
                eligible.append(index)
                if let fingerprint = track.fingerprint, fingerprint.version == AudioFingerprint.version {
                    if !fingerprint.isUsable {
                        distanceOnly.append((track.path, String(format: "too short to fingerprint (%.1f s, under %.0f s); "
                            + "matched by distance only, confirmed by its waveform", fingerprint.fingerprintedSeconds,
                            AudioFingerprint.minimumSeconds)))
                    }
                } else {
                    distanceOnly.append((track.path, "no fingerprint in its cache record; matched by distance only, "
                        + "confirmed by its waveform (songatlas cache forget it to analyse it again)"))
                }
            }
        }
        guard eligible.count > 1 else { return DuplicateSearch(groups: [], damaged: damaged, distanceOnly: distanceOnly) }
        let chosen = eligible.map { tracks[$0] }
        var links: [(a: Int, b: Int, evidence: DuplicateEvidence, score: Double)] = []

        // Fingerprints: candidate pairs share items (not a silence item shared by many files).
        let usable = chosen.map { $0.fingerprint.flatMap { $0.isUsable ? $0.values : nil } }
        let count = chosen.count
        var borderline: [(a: Int, b: Int, score: Double)] = []
        var cutShort: [Int: String] = [:]   // index of the shorter file → why it is reported
        for (a, b) in fingerprintCandidates(usable) {
            guard let first = usable[a], let second = usable[b],
                  let match = FingerprintMatch.best(first, second) else { continue }
            guard lengthsAgree(chosen[a], chosen[b]) else {
                // The shorter file is the start of the longer one: cut short (a truncated file whose header
                // cannot tell, such as a CBR MP3), or an excerpt. Reported, not grouped.
                let (short, long) = chosen[a].durationSeconds < chosen[b].durationSeconds ? (a, b) : (b, a)
                if match.score >= fingerprintThreshold,
                   abs(Double(match.offsetItems)) * AudioFingerprint.itemSeconds <= startToleranceSeconds {
                    cutShort[short] = String(format: "its %.1f s match the start of %@, which runs %.1f s longer: "
                        + "cut short, or an excerpt; not grouped with it", chosen[short].durationSeconds, chosen[long].path,
                        chosen[long].durationSeconds - chosen[short].durationSeconds)
                }
                continue
            }
            if match.score >= fingerprintThreshold {
                links.append((a, b, .fingerprint, match.score))
            } else if match.score >= borderlineThreshold {
                borderline.append((a, b, match.score))
            }
        }

        // Distance: pairs where a fingerprint is missing or the match borderline.
        let needsDistance = usable.contains { $0 == nil } || !borderline.isEmpty
        if needsDistance {
            let placed = space.place(chosen)
            let threshold = Float(distanceFraction * Atlas.typicalDistance(placed.points))
            func distance(_ a: Int, _ b: Int) -> Float {
                var sum: Float = 0
                for column in 0..<placed.points.columnCount {
                    let difference = placed.points[a, column] - placed.points[b, column]
                    sum += difference * difference
                }
                return sum.squareRoot()
            }
            let candidates = distanceCandidates(chosen.map(\.durationSeconds), hasFingerprint: usable.map { $0 != nil })
                .filter { distance($0.a, $0.b) < threshold }
            // The waveform decides; each song's excerpt is decoded once for all its pairs.
            var excerpts = WaveformExcerpts(pairs: candidates.map { ($0.a, $0.b) })
            for (a, b) in candidates {
                guard let correlation = excerpts.correlation(a, b, decode: { waveformExcerpt(chosen[$0]) }),
                      correlation >= WaveformMatch.threshold else { continue }
                links.append((a, b, .distance, min(1, correlation)))
            }
            for pair in borderline where lengthsAgree(chosen[pair.a], chosen[pair.b], share: distanceLengthTolerance, seconds: 0.25)
                && distance(pair.a, pair.b) < threshold {
                links.append((pair.a, pair.b, .distance, pair.score))
            }
        }

        for index in cutShort.keys.sorted() { damaged.append((chosen[index].path, cutShort[index]!)) }

        // Groups: connected components of the links.
        var parent = Array(0..<count)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index {
                parent[index] = parent[parent[index]]
                index = parent[index]
            }
            return index
        }
        for link in links { parent[root(link.a)] = root(link.b) }
        var members: [Int: [Int]] = [:]
        for index in 0..<count { members[root(index), default: []].append(index) }
        var groups: [DuplicateGroup] = []
        for (groupRoot, indices) in members where indices.count > 1 {
            let ordered = indices.map { chosen[$0] }.sorted { keptFirst($0, $1, fileSize: fileSize) }
            let groupLinks = links.filter { root($0.a) == groupRoot }
            let weakest = groupLinks.min { lhs, rhs in
                lhs.evidence != rhs.evidence ? lhs.evidence == .distance : lhs.score < rhs.score
            }
            let copies = ordered.dropFirst().sorted { pathPrecedes($0.path, $1.path) }
            groups.append(DuplicateGroup(keep: ordered[0], copies: copies,
                                         evidence: weakest?.evidence ?? .fingerprint, score: weakest?.score ?? 1))
        }
        groups.sort { pathPrecedes($0.keep.path, $1.keep.path) }
        return DuplicateSearch(groups: groups, damaged: damaged, distanceOnly: distanceOnly)
    }

    /// Whether two tracks' lengths are close enough to be one recording (``lengthTolerance``).
    static func lengthsAgree(_ first: TrackAnalysis, _ second: TrackAnalysis, share: Double = lengthTolerance,
                             seconds: Double = 3) -> Bool {
        lengthsAgree(first.durationSeconds, second.durationSeconds, share: share, seconds: seconds)
    }

    /// Whether two lengths, in seconds, differ by at most `share` of the longer plus `seconds`.
    static func lengthsAgree(_ first: Double, _ second: Double, share: Double, seconds: Double) -> Bool {
        abs(first - second) <= share * max(first, second) + seconds
    }

    /// The kept-copy rule: whether `first` is kept before `second`.
    ///
    /// Lossless before lossy, then the higher bit rate (file size over length), then the higher
    /// sample rate, then the longer file, then path order as a person reads names (``pathPrecedes(_:_:)``:
    /// `dnb-01.flac` before `dnb-01 (copy).flac`).
    public static func keptFirst(_ first: TrackAnalysis, _ second: TrackAnalysis,
                                 fileSize: (String) -> Int64? = DuplicateFinder.fileSize) -> Bool {
        let (firstLossless, secondLossless) = (isLossless(first.format), isLossless(second.format))
        if firstLossless != secondLossless { return firstLossless }
        let (firstRate, secondRate) = (bitRate(first, fileSize: fileSize), bitRate(second, fileSize: fileSize))
        // Bit rates within 2 % are one rate (container overhead, tags, cover art).
        if abs(firstRate - secondRate) > 0.02 * max(firstRate, secondRate) { return firstRate > secondRate }
        if first.sampleRate != second.sampleRate { return first.sampleRate > second.sampleRate }
        if abs(first.durationSeconds - second.durationSeconds) > 0.05 { return first.durationSeconds > second.durationSeconds }
        return pathPrecedes(first.path, second.path)
    }

    /// Whether a decoder's format string ("FLAC/PCM_16", "MP4/AAC") names a lossless encoding.
    public static func isLossless(_ format: String) -> Bool {
        let codec = format.split(separator: "/").last.map { $0.uppercased() } ?? format.uppercased()
        let lossy = ["MPEG", "MP3", "MP2", "AAC", "VORBIS", "OPUS", "WMA", "AC3", "AC-3", "EAC3", "DTS", "MUSEPACK",
                     "MPC", "SPEEX", "GSM", "ADPCM", "ATRAC", "COOK", "REAL", "AMR", "G7"]
        return !lossy.contains { codec.contains($0) }
    }

    /// Bits per second of the file: its size over its length; 0 when either is unknown.
    static func bitRate(_ track: TrackAnalysis, fileSize: (String) -> Int64?) -> Double {
        guard let size = fileSize(track.path), track.durationSeconds > 0 else { return 0 }
        return Double(size) * 8 / track.durationSeconds
    }

    /// The size of the file at `path` in bytes, or nil.
    public static func fileSize(_ path: String) -> Int64? {
        var status = stat()
        return RawPath.withCString(path, { stat($0, &status) }) == 0 ? Int64(status.st_size) : nil
    }
}
