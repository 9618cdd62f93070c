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

    private enum CodingKeys: String, CodingKey {
        case path, uri, method, durationSeconds, sections, novelty, highlight, notes
    }

    /// Reads a document, taking the track's path from `uri` when there is one (``PathURI``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = PathURI.path(path: try container.decode(String.self, forKey: .path),
                            uri: try container.decodeIfPresent(String.self, forKey: .uri))
        method = try container.decode(String.self, forKey: .method)
        durationSeconds = try container.decode(Double.self, forKey: .durationSeconds)
        sections = try container.decode([Section].self, forKey: .sections)
        novelty = try container.decode(Curve.self, forKey: .novelty)
        highlight = try container.decodeIfPresent(Highlight.self, forKey: .highlight)
        notes = try container.decode([String].self, forKey: .notes)
    }

    /// Writes the path in its display form, and a `uri` with its exact bytes when it is not UTF-8.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(PathURI.text(path), forKey: .path)
        try container.encodeIfPresent(PathURI.uri(path), forKey: .uri)
        try container.encode(method, forKey: .method)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(sections, forKey: .sections)
        try container.encode(novelty, forKey: .novelty)
        try container.encodeIfPresent(highlight, forKey: .highlight)
        try container.encode(notes, forKey: .notes)
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
