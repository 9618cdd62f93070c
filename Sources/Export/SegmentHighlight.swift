import Foundation

/// A track's highlight (its most representative excerpt) as the segment documents write it.
///
/// The format's own type, filled from the segmenter's `Highlight` by one mapping
/// (`SegmentationDocument+Result.swift` in SongAtlas) and pinned by the segment golden files.
public struct SegmentHighlight: Codable, Sendable, Equatable {
    /// Start in seconds, ≥ 0.
    public var start: Double
    /// End in seconds, after ``start``.
    public var end: Double
    /// The label of the section it comes from (`A`, `B`, …).
    public var label: String
    /// How often that label occurs in the track.
    public var occurrences: Int
    /// Why this excerpt, in one line: `most repeated section (B, 3 times)`,
    /// `no repeats: the loudest section (C)`. Written in every segment format.
    public var reason: String
    /// Something the user should know (a highlight longer than the track), or nil.
    public var note: String?

    /// A highlight from its fields.
    ///
    /// - Parameters:
    ///   - start: seconds, ≥ 0.
    ///   - end: seconds, after `start`.
    ///   - label: the label of the section it comes from.
    ///   - occurrences: how often that label occurs, ≥ 1.
    ///   - reason: why it was chosen, one line (no line breaks).
    ///   - note: something the user should know; default none.
    public init(start: Double, end: Double, label: String, occurrences: Int, reason: String, note: String? = nil) {
        self.start = start
        self.end = end
        self.label = label
        self.occurrences = occurrences
        self.reason = reason
        self.note = note
    }

    private enum CodingKeys: String, CodingKey { case start, end, label, occurrences, reason, note }

    /// Reads a highlight; one written before highlights had a reason gets the reason its fields imply.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = try container.decode(Double.self, forKey: .start)
        end = try container.decode(Double.self, forKey: .end)
        label = try container.decode(String.self, forKey: .label)
        occurrences = try container.decode(Int.self, forKey: .occurrences)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
            ?? Self.reason(label: label, occurrences: occurrences, coversWholeTrack: false, durationSeconds: end)
    }

    /// The reason for a highlight chosen as `segment --highlight` chooses it: the most repeated
    /// section, or the loudest one when nothing repeats, or the whole track when it is not longer
    /// than the excerpt asked for.
    ///
    /// - Parameters:
    ///   - label: the label of the section it comes from.
    ///   - occurrences: how often that label occurs.
    ///   - coversWholeTrack: the excerpt is the whole track.
    ///   - durationSeconds: the track's length, for the whole-track reason.
    /// - Returns: one line, e.g. `most repeated section (B, 3 times)`.
    public static func reason(label: String, occurrences: Int, coversWholeTrack: Bool,
                              durationSeconds: Double) -> String {
        if coversWholeTrack {
            return String(format: "the whole track: its %.1f s are not longer than the highlight asked for", durationSeconds)
        }
        if occurrences > 1 { return "most repeated section (\(label), \(occurrences) times)" }
        return "no repeats: the loudest section (\(label))"
    }
}
