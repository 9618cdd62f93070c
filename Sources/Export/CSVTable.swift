/// A CSV table: a header row and data rows, rendered per RFC 4180.
///
/// Fields containing a comma, a quote, a carriage return or a newline are
/// quoted, with quotes doubled; lines end in `\n`.
public struct CSVTable: Sendable {
    public var header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    /// Appends a row; it must have as many fields as the header.
    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "CSV row has \(row.count) fields, header has \(header.count)")
        rows.append(row)
    }

    /// The whole table as text.
    public func rendered() -> String {
        var text = Self.line(header)
        for row in rows { text += Self.line(row) }
        return text
    }

    static func line(_ fields: [String]) -> String { renderedRow(fields) }

    /// One row as a line of text, for writing a table as it is produced.
    public static func renderedRow(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }

    /// One field, quoted if it needs to be.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A float in the shortest form that reads back to the same value.
    public static func number(_ value: Float) -> String { value.isFinite ? "\(value)" : "" }
    public static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "" }

    /// The rows of RFC 4180 text: fields split at commas, quoted fields unquoted (with `""` as one
    /// quote, and commas and line breaks kept inside quotes). Lines end in `\n` or `\r\n`; empty
    /// lines are skipped. The reader of ``rendered()``'s output.
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = scalars.next()
        func endRow() {
            row.append(field)
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
            field = ""
        }
        while let scalar = pending {
            pending = scalars.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = scalars.next() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(field); field = ""
            case "\r" where pending == "\n": break
            case "\n", "\r": endRow()
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { endRow() }
        return rows
    }
}
