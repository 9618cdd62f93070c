import Clustering
import Foundation

/// Reads segmentations a user hands SongAtlas: Audacity label tracks and `.lab`
/// files (`start<TAB or spaces>end<TAB or spaces>label` per line), CSV section
/// files (`start,end,label[,confidence]`, with an optional header row, as
/// `songatlas segment --format csv` writes them), or the JSON that
/// `songatlas segment` writes. The highlight row that `segment --highlight`
/// adds to CSV and Audacity labels, and the label naming a cue track that
/// `segment FILE.cue#N` puts first, are skipped: they are not sections.
///
/// Nothing read is trusted: the file is read through ``UserTextFile`` (a
/// regular file of at most 64 MiB), and every time must be finite, from 0 to
/// ``maximumSeconds``, with each interval ending after it starts and starting
/// no earlier than the one before ends. A file that breaks a rule is refused
/// with one line naming the file, the line (or the JSON section) and the value.
public enum SegmentFile {
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// The latest time a segmentation may reach, in seconds (about 11.6 days).
    public static let maximumSeconds = 1e6

    /// Reads and checks `path`.
    ///
    /// - Returns: the intervals, sorted, not overlapping, at least one.
    /// - Throws: ``FormatError`` naming the file and line.
    public static func read(_ path: String) throws -> [Section] {
        let data: Data
        do {
            data = try UserTextFile.data(path)
        } catch let error as UserTextFile.ReadError {
            throw FormatError(description: error.description)
        }
        return try parse(data, name: path)
    }

    /// Parses and checks the bytes of a segmentation file; `name` goes in messages.
    ///
    /// - Throws: ``FormatError`` naming `name` and the line (or JSON section) at fault.
    public static func parse(_ data: Data, name: String) throws -> [Section] {
        do {
            try UserTextFile.requireText(data, name: name)
        } catch let error as UserTextFile.ReadError {
            throw FormatError(description: error.description)
        }
        if data.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) == UInt8(ascii: "{") {
            return try parseJSON(data, name: name)
        }
        let lines: [(number: Int, text: String)]
        do {
            lines = try UserTextFile.lines(data, name: name)
        } catch let error as UserTextFile.ReadError {
            throw FormatError(description: error.description)
        }
        var checker = Checker(name: name)
        var sawData = false
        for (number, rawLine) in lines {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            // Audacity writes frequency rows for spectral labels, starting with a backslash.
            if line.hasPrefix("\\") { continue }
            let fields = Self.fields(of: line)
            if !sawData, fields.first?.lowercased() == "start" { continue }   // a CSV header row
            sawData = true
            if fields.count > 2, Self.isHighlight(fields[2]) || fields[2].hasPrefix(SegmentationDocument.cueTrackLabelPrefix) {
                continue   // not a section
            }
            guard fields.count >= 2, let start = Double(fields[0]), let end = Double(fields[1]) else {
                throw FormatError(description:
                    "\(name):\(number): expected `start end label`, got `\(UserTextFile.quoted(line))`")
            }
            try checker.append(start: start, end: end, label: fields.count > 2 ? fields[2] : "", at: "\(number)")
        }
        guard !checker.intervals.isEmpty else { throw FormatError(description: "\(name): no intervals") }
        return checker.intervals
    }

    /// The sections of a `songatlas segment` JSON document, checked as lines are.
    private static func parseJSON(_ data: Data, name: String) throws -> [Section] {
        let document: SegmentationDocument
        do {
            document = try JSONOutput.decoder().decode(SegmentationDocument.self, from: data)
        } catch {
            throw FormatError(description: "\(name): not a segmentation JSON written by songatlas (\(JSONOutput.problem(error)))")
        }
        var checker = Checker(name: name)
        for (index, section) in document.sections.enumerated() {
            try checker.append(start: section.start, end: section.end, label: section.label,
                               at: "section \(index + 1)", confidence: section.confidence)
        }
        guard !checker.intervals.isEmpty else { throw FormatError(description: "\(name): no intervals") }
        return checker.intervals
    }

    /// Whether `label` names the highlight row `segment --highlight` writes (`highlight`, or
    /// `highlight: <reason>` in Audacity labels): an excerpt over the sections, not one of them.
    static func isHighlight(_ label: String) -> Bool {
        let name = SegmentationDocument.highlightLabel
        return label == name || label.hasPrefix(name + ": ")
    }

    /// The fields of one line: comma-separated (RFC 4180 quoting) when it has no tab
    /// and its first comma follows a number or the header word `start`; otherwise
    /// separated by runs of tabs and spaces, the third field being the rest of the
    /// line (labels may hold spaces and commas).
    static func fields(of line: String) -> [String] {
        if !line.contains("\t"), let comma = line.firstIndex(of: ",") {
            let first = line[..<comma].trimmingCharacters(in: .whitespaces)
            if Double(first) != nil || first.lowercased() == "start" { return csvFields(line) }
        }
        return line.split(maxSplits: 2, whereSeparator: { $0 == "\t" || $0 == " " })
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// One CSV row's fields: quoted fields may hold commas, with quotes doubled.
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    // A doubled quote is one quote; a single one ends the quoted part.
                    var lookahead = iterator
                    if lookahead.next() == "\"" {
                        field.append("\"")
                        iterator = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "," {
                fields.append(field.trimmingCharacters(in: .whitespaces))
                field = ""
            } else if character == "\"" {
                quoted = true
            } else {
                field.append(character)
            }
        }
        fields.append(field.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// The rules every interval read must follow, applied in file order.
    private struct Checker {
        let name: String
        var intervals: [Section] = []
        var previous: (end: Double, place: String)?

        init(name: String) { self.name = name }

        mutating func append(start: Double, end: Double, label: String, at place: String, confidence: Double = 1) throws {
            let limit = SegmentFile.maximumSeconds
            for (what, value) in [("start", start), ("end", end)] {
                guard value.isFinite else {
                    throw FormatError(description: "\(name):\(place): \(what) \(value) is not a finite number of seconds")
                }
                guard value >= 0 else { throw FormatError(description: "\(name):\(place): \(what) \(value) is negative") }
                guard value <= limit else {
                    throw FormatError(description:
                        "\(name):\(place): \(what) \(value) s is past the limit of \(Int(limit)) s")
                }
            }
            guard end > start else {
                throw FormatError(description: "\(name):\(place): end \(end) is not after start \(start)")
            }
            if let previous, start < previous.end - 1e-9 {
                let problem = start < (intervals.last?.start ?? 0) ? "is not sorted: it starts before \(previous.place)"
                    : "overlaps \(previous.place), which ends at \(previous.end)"
                throw FormatError(description: "\(name):\(place): interval \(start)–\(end) \(problem)")
            }
            let confidence = confidence.isFinite ? min(max(confidence, 0), 1) : 1
            intervals.append(Section(start: start, end: end, label: label,
                                     confidence: confidence))
            previous = (end, place.hasPrefix("section") ? place : "line \(place)")
        }
    }
}
