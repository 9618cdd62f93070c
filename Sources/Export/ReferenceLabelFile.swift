import Foundation

/// Reads a reference-label CSV (`--labels FILE.csv`): one `path,label` row per
/// track, with an optional `path,label` header.
///
/// The file is read through ``UserTextFile`` (a regular UTF-8 file of at most
/// 64 MiB, never a FIFO or a device). The label is what follows the last comma,
/// so paths may hold commas; a path may be quoted.
public enum ReferenceLabelFile {
    /// One row: the path as written in the file, and its label.
    public struct Row: Equatable, Sendable {
        public var path: String
        public var label: String
        /// The 1-based line number in the file.
        public var line: Int
    }

    /// Why a reference CSV was not read; ``description`` is one line starting with the path.
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// The rows of `path`.
    ///
    /// - Throws: ``FormatError`` for a file that cannot be read as text, or a
    ///   row without a comma or with an empty path (naming the line).
    public static func read(_ path: String) throws -> [Row] {
        let data: Data
        do {
            data = try UserTextFile.data(path)
        } catch let error as UserTextFile.ReadError {
            throw FormatError(description: error.description)
        }
        return try parse(data, name: path)
    }

    /// The rows of a reference CSV's bytes; `name` goes in messages.
    ///
    /// - Throws: ``FormatError`` as ``read(_:)`` does.
    public static func parse(_ data: Data, name: String) throws -> [Row] {
        do {
            try UserTextFile.requireText(data, name: name)
        } catch let error as UserTextFile.ReadError {
            throw FormatError(description: error.description)
        }
        let lines: [(number: Int, text: String)]
        do {
            // Paths keep their bytes: a Latin-1 file name in the CSV names that file exactly.
            lines = try UserTextFile.lines(data, name: name, keepingBytes: true)
        } catch let error as UserTextFile.ReadError {
            throw FormatError(description: error.description)
        }
        if let rows = byHeader(lines) { return rows }
        var rows: [Row] = []
        for (number, line) in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || (number == 1 && trimmed.lowercased().hasPrefix("path,")) { continue }
            guard let comma = trimmed.lastIndex(of: ",") else {
                throw FormatError(description:
                    "\(name):\(number): expected `path,label`, got `\(UserTextFile.quoted(trimmed))`")
            }
            let file = String(trimmed[..<comma]).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            let label = String(trimmed[trimmed.index(after: comma)...]).trimmingCharacters(in: .whitespaces)
            guard !file.isEmpty else { throw FormatError(description: "\(name):\(number): the path is empty") }
            rows.append(Row(path: file, label: label, line: number))
        }
        return rows
    }

    /// The rows of a CSV whose first line is a header naming a `path` column and a `label` (or
    /// `playlist`) column, such as the `playlists.csv` that `playlists` writes; a `uri` column,
    /// where it has a value, gives the path's exact bytes (``PathURI``). Nil when the first line
    /// is not such a header (a plain `path,label` file).
    private static func byHeader(_ lines: [(number: Int, text: String)]) -> [Row]? {
        guard let first = lines.first else { return nil }
        let header = CSVTable.parse(first.text).first?.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? []
        guard header.count > 2, let pathColumn = header.firstIndex(of: "path"),
              let labelColumn = header.firstIndex(of: "label") ?? header.firstIndex(of: "playlist")
        else { return nil }
        let uriColumn = header.firstIndex(of: "uri")
        var rows: [Row] = []
        for (number, line) in lines.dropFirst() {
            guard let fields = CSVTable.parse(line).first, fields.count > max(pathColumn, labelColumn) else { continue }
            let uri = uriColumn.flatMap { fields.indices.contains($0) && !fields[$0].isEmpty ? fields[$0] : nil }
            let path = PathURI.path(path: fields[pathColumn], uri: uri)
            guard !path.isEmpty else { continue }
            rows.append(Row(path: path, label: fields[labelColumn], line: number))
        }
        return rows
    }
}
