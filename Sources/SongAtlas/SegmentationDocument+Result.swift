import Clustering
import Export
import Foundation

extension SegmentationDocument {
    /// The document of one segmentation: its sections, and the novelty curve rounded for reading
    /// (times to the millisecond, values to 1e-4).
    public init(path: String, method: SegmentationMethod, result: TrackSegmenter.Result) {
        self.init(
            path: path, method: method.rawValue, durationSeconds: result.durationSeconds,
            sections: result.segmentation.sections,
            novelty: Curve(times: result.segmentation.noveltyTimes.map { ($0 * 1000).rounded() / 1000 },
                           values: result.segmentation.novelty.map { ($0 * 10000).rounded() / 10000 }),
            highlight: result.highlight,
            notes: result.segmentation.notes + (result.highlight?.note.map { ["highlight: " + $0] } ?? []))
    }
}
