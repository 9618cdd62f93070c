import Clustering
import Export
import Foundation

/// The `segment` command's JSON: sections plus the novelty curve.
public struct SegmentationDocument: Codable, Sendable {
    public struct Curve: Codable, Sendable {
        public var times: [Double]
        public var values: [Double]
    }

    public var path: String
    public var method: String
    public var durationSeconds: Double
    public var sections: [Section]
    public var novelty: Curve
    public var notes: [String]

    public init(path: String, method: SegmentationMethod, result: TrackSegmenter.Result) {
        self.path = path
        self.method = method.rawValue
        durationSeconds = result.durationSeconds
        sections = result.segmentation.sections
        novelty = Curve(times: result.segmentation.noveltyTimes.map { ($0 * 1000).rounded() / 1000 },
                        values: result.segmentation.novelty.map { ($0 * 10000).rounded() / 10000 })
        notes = result.segmentation.notes
    }

    public func renderedJSON() throws -> String {
        String(decoding: try JSONOutput.encoder().encode(self), as: UTF8.self) + "\n"
    }

    /// `start,end,label,confidence`.
    public func renderedCSV() -> String {
        var table = CSVTable(header: ["start", "end", "label", "confidence"])
        for section in sections {
            table.append([Self.seconds(section.start), Self.seconds(section.end), section.label,
                          String(format: "%.3f", section.confidence)])
        }
        return table.rendered()
    }

    /// An Audacity label track: `start<TAB>end<TAB>label` per line (File > Import > Labels).
    public func renderedAudacityLabels() -> String {
        sections.map { "\(Self.seconds($0.start))\t\(Self.seconds($0.end))\t\($0.label)\n" }.joined()
    }

    static func seconds(_ value: Double) -> String { String(format: "%.6f", value) }
}
