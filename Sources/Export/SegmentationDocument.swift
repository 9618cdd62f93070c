import Foundation

/// The `segment` command's JSON: sections plus the novelty curve, and the highlight when one was asked for.
///
/// The format's contract: its parts are Export's own types (``SegmentSection``,
/// ``SegmentHighlight``), filled from a segmentation by one mapping
/// (`SegmentationDocument+Result.swift` in SongAtlas), and pinned by golden files
/// (`Tests/ExportTests/Golden/segment-document*.json`). Rendered in each
/// ``SegmentFormat`` by ``rendered(as:)``.
public struct SegmentationDocument: Codable, Sendable, Equatable {
    /// A curve over time: the novelty, one value per time in seconds.
    public struct Curve: Codable, Sendable, Equatable {
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
    public var sections: [SegmentSection]
    public var novelty: Curve
    /// The track's most representative excerpt, when one was asked for (`--highlight`).
    public var highlight: SegmentHighlight?
    public var notes: [String]
    /// Which track of ``path`` was segmented when it is one track of a cue sheet (written as `track`,
    /// `start`, `end` and `sheet`, the range in seconds of the file); nil for a whole file. Section and
    /// highlight times always count from the start of what was segmented: for a track, its own start.
    public var cueTrack: CueTrackReference?

    /// A document from its parts.
    ///
    /// - Parameters:
    ///   - method: the segmentation method's name (`structure`, `kmeans`).
    ///   - sections: the sections, in order, tiling 0…`durationSeconds`.
    ///   - highlight: the excerpt for previews, if one was asked for.
    public init(path: String, method: String, durationSeconds: Double, sections: [SegmentSection], novelty: Curve,
                highlight: SegmentHighlight? = nil, notes: [String], cueTrack: CueTrackReference? = nil) {
        self.path = path
        self.method = method
        self.durationSeconds = durationSeconds
        self.sections = sections
        self.novelty = novelty
        self.highlight = highlight
        self.notes = notes
        self.cueTrack = cueTrack
    }

    private enum CodingKeys: String, CodingKey {
        case path, uri, track, start, end, sheet, method, durationSeconds, sections, novelty, highlight, notes
    }

    /// Reads a document, taking the track's path from `uri` when there is one (``PathURI``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = PathURI.path(path: try container.decode(String.self, forKey: .path),
                            uri: try container.decodeIfPresent(String.self, forKey: .uri))
        method = try container.decode(String.self, forKey: .method)
        durationSeconds = try container.decode(Double.self, forKey: .durationSeconds)
        sections = try container.decode([SegmentSection].self, forKey: .sections)
        novelty = try container.decode(Curve.self, forKey: .novelty)
        highlight = try container.decodeIfPresent(SegmentHighlight.self, forKey: .highlight)
        notes = try container.decode([String].self, forKey: .notes)
        if let track = try container.decodeIfPresent(Int.self, forKey: .track) {
            cueTrack = CueTrackReference(track: track, startSeconds: try container.decode(Double.self, forKey: .start),
                                         endSeconds: try container.decode(Double.self, forKey: .end),
                                         sheet: try container.decode(String.self, forKey: .sheet))
        }
    }

    /// Writes the path in its display form, and a `uri` with its exact bytes when it is not UTF-8.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(PathURI.text(path), forKey: .path)
        try container.encodeIfPresent(PathURI.uri(path), forKey: .uri)
        if let cueTrack {
            try container.encode(cueTrack.track, forKey: .track)
            try container.encode(cueTrack.startSeconds, forKey: .start)
            try container.encode(cueTrack.endSeconds, forKey: .end)
            try container.encode(PathURI.text(cueTrack.sheet), forKey: .sheet)
        }
        try container.encode(method, forKey: .method)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(sections, forKey: .sections)
        try container.encode(novelty, forKey: .novelty)
        try container.encodeIfPresent(highlight, forKey: .highlight)
        try container.encode(notes, forKey: .notes)
    }

    /// The document in `format`: JSON, CSV or an Audacity label track.
    ///
    /// - Throws: `EncodingError` from the JSON encoder (never for finite or non-finite numbers).
    public func rendered(as format: SegmentFormat) throws -> String {
        switch format {
        case .json: try renderedJSON()
        case .csv: renderedCSV()
        case .audacity: renderedAudacityLabels()
        }
    }

    public func renderedJSON() throws -> String {
        String(decoding: try JSONOutput.encoder().encode(self), as: UTF8.self) + "\n"
    }

    /// `start,end,label,confidence`, one row a section; with a highlight, a `reason` column
    /// and a last row labelled ``highlightLabel`` whose reason says why it was chosen.
    public func renderedCSV() -> String {
        var table = CSVTable(header: ["start", "end", "label", "confidence"] + (highlight == nil ? [] : ["reason"]))
        for section in sections {
            table.append([Self.seconds(section.start), Self.seconds(section.end), section.label,
                          String(format: "%.3f", section.confidence)] + (highlight == nil ? [] : [""]))
        }
        if let highlight {
            table.append([Self.seconds(highlight.start), Self.seconds(highlight.end), Self.highlightLabel, "",
                          highlight.reason])
        }
        return table.rendered()
    }

    /// An Audacity label track: `start<TAB>end<TAB>label` per line (File > Import > Labels),
    /// and a last label `highlight: <reason>` when the document has one. For a cue track, a first
    /// point label at 0 (``cueTrackLabel``) says which track of which file the times count from.
    public func renderedAudacityLabels() -> String {
        (cueTrackLabel.map { "\(Self.seconds(0))\t\(Self.seconds(0))\t\($0)\n" } ?? "")
            + sections.map { "\(Self.seconds($0.start))\t\(Self.seconds($0.end))\t\($0.label)\n" }.joined()
            + (highlight.map { "\(Self.seconds($0.start))\t\(Self.seconds($0.end))\t\(Self.highlightLabel): \($0.reason)\n" } ?? "")
    }

    /// The label of the highlight's row in CSV and Audacity labels (``SegmentFile`` skips it when reading).
    public static let highlightLabel = "highlight"

    /// How the label naming a cue track begins (``SegmentFile`` skips such a label when reading).
    public static let cueTrackLabelPrefix = "cue track "

    /// The label that names a cue track, `cue track 3 of Album.cue: Album.flac from 180.000000 s to
    /// 360.000000 s; times from the track's start`; nil for a whole file.
    public var cueTrackLabel: String? {
        cueTrack.map { track in
            Self.cueTrackLabelPrefix + "\(track.track) of \(Self.fileName(track.sheet)): \(Self.fileName(path)) from "
                + "\(Self.seconds(track.startSeconds)) s to \(Self.seconds(track.endSeconds)) s; times from the track's start"
        }
    }

    /// A path's last component, as displayed.
    static func fileName(_ path: String) -> String { PathURI.text((path as NSString).lastPathComponent) }

    static func seconds(_ value: Double) -> String { String(format: "%.6f", value) }
}
