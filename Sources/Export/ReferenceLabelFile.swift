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
            lines = try UserTextFile.lines(data, name: name, strictUTF8: true)
        } catch let error as UserTextFile.ReadError {
            throw FormatError(description: error.description)
        }
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
}
