/// The formats a segmentation is written in: the one `Format` of segment outputs.
public enum SegmentFormat: String, CaseIterable, Sendable, Codable {
    /// ``SegmentationDocument`` as JSON: sections, novelty curve, highlight, notes.
    case json
    /// `start,end,label,confidence` rows (and the highlight's row).
    case csv
    /// An Audacity label track (File > Import > Labels), the highlight as a label of its own.
    case audacity

    /// The extension of a file of this format, without the dot: `json`, `csv`, `txt` (Audacity's own).
    public var fileExtension: String {
        switch self {
        case .json: "json"
        case .csv: "csv"
        case .audacity: "txt"
        }
    }
}
