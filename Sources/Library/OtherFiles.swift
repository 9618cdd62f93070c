import Foundation

/// The files a folder scan passed over because their extension is not an
/// audio one (images, text, PDFs, playlists, cue sheets), counted by
/// extension so that a run can say what it left out.
public struct OtherFiles: Sendable, Equatable {
    /// The key for names without an extension.
    public static let noExtension = "(no extension)"

    /// How many files have each extension: lower case with its dot (`".jpg"`), or ``noExtension``.
    public private(set) var countsByExtension: [String: Int] = [:]
    /// The files, in scan order, as the user would spell them (for `--verbose`).
    public private(set) var paths: [String] = []

    public init() {}

    /// Files counted.
    public var count: Int { paths.count }

    /// Counts `path`.
    public mutating func add(_ path: String) {
        let fileExtension = (path as NSString).pathExtension.lowercased()
        countsByExtension[fileExtension.isEmpty ? Self.noExtension : "." + fileExtension, default: 0] += 1
        paths.append(path)
    }

    /// The extensions, most frequent first (ties in name order).
    public var rankedExtensions: [(fileExtension: String, count: Int)] {
        countsByExtension.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    /// The summary-line phrase, e.g. `"skipped 1,203 other files (1,100 .jpg, 90 .txt, 13 .pdf)"`;
    /// nil when there were none. At most `kinds` extensions are named (one
    /// more rather than a group of one); the rest are counted together.
    ///
    /// - Parameter kinds: extensions to name, ≥ 1; default 6.
    public func summary(kinds: Int = 6) -> String? {
        guard count > 0 else { return nil }
        let ranked = rankedExtensions
        let named = ranked.count == kinds + 1 ? ranked.count : kinds    // "1 more of 1 other kinds" says less than its name
        var parts = ranked.prefix(named).map { "\(Self.grouped($0.count)) \($0.fileExtension)" }
        if ranked.count > named {
            let rest = ranked.dropFirst(kinds).reduce(0) { $0 + $1.count }
            parts.append("\(Self.grouped(rest)) more of \(ranked.count - kinds) other kinds")
        }
        return "skipped \(Self.grouped(count)) other \(count == 1 ? "file" : "files") (\(parts.joined(separator: ", ")))"
    }

    /// `value` with commas between thousands: 1203 -> "1,203".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return value < 0 ? "-" + text : text
    }
}
