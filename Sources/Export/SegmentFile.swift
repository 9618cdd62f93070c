import Clustering
import Foundation

/// Reads segmentations: Audacity label tracks and `.lab` files
/// (`start<TAB or spaces>end<TAB or spaces>label` per line), or the JSON that
/// `songatlas segment` writes.
public enum SegmentFile {
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Reads and checks `path`: every interval must have end > start ≥ 0, and
    /// intervals must be sorted and must not overlap.
    ///
    /// - Throws: ``FormatError`` naming the file and line.
    public static func read(_ path: String) throws -> [Section] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(description: "\(path): cannot read the file")
        }
        if let document = try? JSONDecoder().decode(SegmentationDocument.self, from: data) {
            return document.sections.map { $0 }
        }
        let text = String(decoding: data, as: UTF8.self)
        var intervals: [Section] = []
        var previous: (end: Double, line: Int)?
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let number = index + 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            // Audacity writes frequency rows for spectral labels, starting with a backslash.
            if line.hasPrefix("\\") { continue }
            let fields = line.split(maxSplits: 2, whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count >= 2, let start = Double(fields[0]), let end = Double(fields[1]),
                  start.isFinite, end.isFinite else {
                throw FormatError(description: "\(path):\(number): expected `start end label`, got `\(line)`")
            }
            guard start >= 0 else { throw FormatError(description: "\(path):\(number): start \(start) is negative") }
            guard end > start else {
                throw FormatError(description: "\(path):\(number): end \(end) is not after start \(start)")
            }
            if let previous {
                if start < previous.end - 1e-9 {
                    let problem = start < (intervals.last?.start ?? 0) ? "is not sorted: it starts before line \(previous.line)"
                        : "overlaps line \(previous.line), which ends at \(previous.end)"
                    throw FormatError(description: "\(path):\(number): interval \(start)–\(end) \(problem)")
                }
            }
            let label = fields.count > 2 ? String(fields[2]).trimmingCharacters(in: .whitespaces) : ""
            intervals.append(Section(start: start, end: end, label: label, confidence: 1))
            previous = (end, number)
        }
        guard !intervals.isEmpty else { throw FormatError(description: "\(path): no intervals") }
        return intervals
    }
}
