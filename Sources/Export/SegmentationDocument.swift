import Clustering
import Foundation

/// The `segment` command's JSON: sections plus the novelty curve.
public struct SegmentationDocument: Codable, Sendable {
    /// A curve over time: the novelty, one value per time in seconds.
    public struct Curve: Codable, Sendable {
        public var times: [Double]
        public var values: [Double]

        public init(times: [Double], values: [Double]) {
            self.times = times
            self.values = values
        }
    }

    public var path: String
    public var method: String
    public var durationSeconds: Double
    public var sections: [Section]
    public var novelty: Curve
    /// The track's most representative excerpt, when one was asked for (`--highlight`).
    public var highlight: Highlight?
    public var notes: [String]

    /// A document from its parts.
    ///
    /// - Parameters:
    ///   - method: the segmentation method's name (`structure`, `kmeans`).
    ///   - sections: the sections, in order, tiling 0…`durationSeconds`.
    ///   - highlight: the excerpt for previews, if one was asked for.
    public init(path: String, method: String, durationSeconds: Double, sections: [Section], novelty: Curve,
                highlight: Highlight? = nil, notes: [String]) {
        self.path = path
        self.method = method
        self.durationSeconds = durationSeconds
        self.sections = sections
        self.novelty = novelty
        self.highlight = highlight
        self.notes = notes
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

    /// An Audacity label track: `start<TAB>end<TAB>label` per line (File > Import > Labels),
    /// and a last label named `highlight` when the document has one.
    public func renderedAudacityLabels() -> String {
        sections.map { "\(Self.seconds($0.start))\t\(Self.seconds($0.end))\t\($0.label)\n" }.joined()
            + (highlight.map { "\(Self.seconds($0.start))\t\(Self.seconds($0.end))\thighlight\n" } ?? "")
    }

    static func seconds(_ value: Double) -> String { String(format: "%.6f", value) }
}
