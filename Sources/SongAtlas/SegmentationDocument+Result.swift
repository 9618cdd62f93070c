import Clustering
import Export
import Foundation

extension SegmentationDocument {
    /// The document of one segmentation: its sections, and the novelty curve rounded for reading
    /// (times to the millisecond, values to 1e-4). The one mapping from the segmenter's result
    /// to the format's types (``SegmentSection``, ``SegmentHighlight``).
    public init(path: String, method: SegmentationMethod, result: TrackSegmenter.Result) {
        self.init(
            path: path, method: method.rawValue, durationSeconds: result.durationSeconds,
            sections: result.segmentation.sections.map(SegmentSection.init),
            novelty: Curve(times: result.segmentation.noveltyTimes.map { ($0 * 1000).rounded() / 1000 },
                           values: result.segmentation.novelty.map { ($0 * 10000).rounded() / 10000 }),
            highlight: result.highlight.map { SegmentHighlight($0, durationSeconds: result.durationSeconds) },
            notes: result.segmentation.notes + (result.highlight?.note.map { ["highlight: " + $0] } ?? []))
    }
}

extension SegmentSection {
    /// The written form of a segmenter's section.
    public init(_ section: Section) {
        self.init(start: section.start, end: section.end, label: section.label, confidence: section.confidence)
    }
}

extension SegmentHighlight {
    /// The written form of a chosen highlight, with its one-line reason.
    ///
    /// - Parameters:
    ///   - highlight: what ``Highlight/choose(sections:levels:frameRate:durationSeconds:seconds:)`` chose.
    ///   - durationSeconds: the length of the track (or excerpt) it was chosen in.
    public init(_ highlight: Highlight, durationSeconds: Double) {
        let coversWholeTrack = highlight.start <= 0 && highlight.end >= durationSeconds - 1e-9 && highlight.note != nil
        self.init(start: highlight.start, end: highlight.end, label: highlight.label, occurrences: highlight.occurrences,
                  reason: Self.reason(label: highlight.label, occurrences: highlight.occurrences,
                                      coversWholeTrack: coversWholeTrack, durationSeconds: durationSeconds),
                  note: highlight.note)
    }
}
