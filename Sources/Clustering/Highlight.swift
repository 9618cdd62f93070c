import Foundation

/// A track's most representative excerpt, for previews: usually the chorus.
public struct Highlight: Codable, Sendable, Equatable {
    /// Start in seconds, ≥ 0.
    public var start: Double
    /// End in seconds, ≤ the track's length.
    public var end: Double
    /// The label of the section it starts in (`A`, `B`, …).
    public var label: String
    /// How often that label occurs in the track.
    public var occurrences: Int
    /// Something the user should know (a highlight longer than the track, no repeat found).
    public var note: String?

    public init(start: Double, end: Double, label: String, occurrences: Int, note: String? = nil) {
        self.start = start
        self.end = end
        self.label = label
        self.occurrences = occurrences
        self.note = note
    }

    /// Chooses the highlight of a segmented track.
    ///
    /// The section label that occurs most often wins (a chorus returns more
    /// than anything else); between labels that occur equally often, the one
    /// whose occurrences are loudest on average. The excerpt starts where the
    /// loudest occurrence of that label starts (a chorus is loudest where it is
    /// sung in full) and lasts `seconds`; near the end of the track it is moved
    /// back so that it fits. When no label repeats, the loudest section is
    /// taken, with a note. Loudness is the mean of the frames' squared RMS.
    ///
    /// - Parameters:
    ///   - sections: the track's sections, in time order, tiling it.
    ///   - levels: the RMS level of each frame (any non-negative scale), `frameRate` frames a second.
    ///   - durationSeconds: the track's length, > 0.
    ///   - seconds: the excerpt's length, > 0; longer than the track gives the whole track and a note.
    /// - Returns: the excerpt; `start < end` whenever the track has a length.
    /// - Complexity: O(frames + sections²).
    public static func choose(sections: [Section], levels: [Float], frameRate: Double, durationSeconds: Double,
                              seconds: Double) -> Highlight {
        let first = sections.first ?? Section(start: 0, end: durationSeconds, label: "A", confidence: 1)
        guard seconds < durationSeconds else {
            return Highlight(start: 0, end: durationSeconds, label: first.label,
                             occurrences: sections.filter { $0.label == first.label }.count,
                             note: String(format: "a %.1f s highlight is not shorter than the track (%.1f s): the whole track",
                                          seconds, durationSeconds))
        }
        func loudness(_ section: Section) -> Double {
            let firstFrame = max(0, min(levels.count - 1, Int((section.start * frameRate).rounded())))
            let lastFrame = max(firstFrame + 1, min(levels.count, Int((section.end * frameRate).rounded())))
            guard !levels.isEmpty else { return 0 }
            var total = 0.0
            for frame in firstFrame..<lastFrame { total += Double(levels[frame]) * Double(levels[frame]) }
            return total / Double(lastFrame - firstFrame)
        }
        let loudnesses = sections.map(loudness)
        var byLabel: [String: [Int]] = [:]
        for (index, section) in sections.enumerated() { byLabel[section.label, default: []].append(index) }
        // Most occurrences, then loudest on average, then first label (for a stable answer).
        let ranked = byLabel.map { label, members in
            (label: label, count: members.count,
             loudness: members.reduce(0.0) { $0 + loudnesses[$1] } / Double(members.count), first: members[0])
        }.sorted { ($0.count, $0.loudness, -$0.first) > ($1.count, $1.loudness, -$1.first) }
        guard let best = ranked.first else {
            return Highlight(start: 0, end: seconds, label: "A", occurrences: 1)
        }
        let members = byLabel[best.label] ?? [0]
        let chosen = members.max { (loudnesses[$0], -$0) < (loudnesses[$1], -$1) } ?? members[0]
        let start = min(sections[chosen].start, durationSeconds - seconds)
        return Highlight(start: max(0, start), end: max(0, start) + seconds, label: best.label, occurrences: best.count,
                         note: best.count > 1 ? nil : "no section repeats: the loudest section")
    }
}
