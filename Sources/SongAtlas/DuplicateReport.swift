import Export
import FilePaths
import Foundation
import Library

/// The renderings of a ``DuplicateSearch`` that `songatlas duplicates` writes: text for people,
/// JSON and CSV for programs. Paths are absolute (``PathKey``); a cue sheet's track is its audio file
/// and `#N`, as `similar` and `path` take it as a seed. The kept copy comes first.
///
/// JSON: `{"groups":[{"keep":"/abs/path","copies":["/abs/path"],"evidence":"fingerprint","score":0.97}],
/// "files":N,"damaged":[{"path":"/abs/path","reason":"…"}]}`, scores to three decimals.
public enum DuplicateReport {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text, json, csv
    }

    /// `search` over `fileCount` analysed files, in `format`.
    public static func rendered(_ search: DuplicateSearch, fileCount: Int, format: Format) -> String {
        func absolute(_ path: String) -> String { RawPath.display(PathKey.of(path)) }
        func song(_ track: TrackAnalysis) -> String { absolute(track.path) + (track.cueTrackNumber.map { "#\($0)" } ?? "") }
        func rounded(_ score: Double) -> Double { (score * 1000).rounded() / 1000 }
        switch format {
        case .json:
            let document = Document(
                groups: search.groups.map {
                    Document.Group(keep: song($0.keep), copies: $0.copies.map(song),
                                   evidence: $0.evidence.rawValue, score: rounded($0.score))
                },
                files: fileCount, damaged: search.damaged.map { Document.Damaged(path: absolute($0.path), reason: $0.reason) })
            let data = (try? JSONOutput.encoder().encode(document)) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        case .csv:
            var table = CSVTable(header: ["group", "role", "path", "evidence", "score"])
            for (number, group) in search.groups.enumerated() {
                let score = String(format: "%.3f", group.score)
                table.append([String(number + 1), "keep", song(group.keep), group.evidence.rawValue, score])
                for copy in group.copies {
                    table.append([String(number + 1), "copy", song(copy), group.evidence.rawValue, score])
                }
            }
            return table.rendered()
        case .text:
            let copies = search.groups.reduce(0) { $0 + $1.copies.count }
            guard !search.groups.isEmpty else { return "no duplicates among \(fileCount) files\n" }
            var lines = ["\(search.groups.count) recording\(search.groups.count == 1 ? "" : "s") held more than once "
                + "among \(fileCount) files; \(copies) cop\(copies == 1 ? "y" : "ies") would be set aside:"]
            for (number, group) in search.groups.enumerated() {
                lines.append("")
                lines.append(String(format: "%d. %@, score %.3f", number + 1, group.evidence.rawValue, group.score))
                lines.append("   keep  " + song(group.keep))
                for copy in group.copies { lines.append("   copy  " + song(copy)) }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    private struct Document: Encodable {
        struct Group: Encodable {
            var keep: String
            var copies: [String]
            var evidence: String
            var score: Double
        }
        struct Damaged: Encodable {
            var path: String
            var reason: String
        }
        var groups: [Group]
        var files: Int
        var damaged: [Damaged]
    }
}
