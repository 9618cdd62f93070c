import Export
import Features
import FilePaths
import Foundation
import Library

/// The renderings of `cache info` and `cache list`: text for people, JSON and CSV for programs.
/// What the cache stores is ``CacheRecordInfo`` and ``CacheSummary``; these are only views of it.
enum CacheReport {
    /// `cache info` in `format` (text or JSON; CSV is refused by the command).
    static func info(_ summary: CacheSummary, format: CacheCommand.Format) -> String {
        switch format {
        case .json:
            return json(InfoJSON(summary))
        case .text, .csv:
            func counts<Key>(_ counts: [Key: Int], name: (Key) -> String) -> String {
                counts.map { (name($0.key), $0.value) }.sorted { $0.0 < $1.0 }
                    .map { "\($0.1) \($0.0)" }.joined(separator: ", ")
            }
            let failed = summary.countsByState["failed"] ?? 0
            var lines = [
                "cache     \(summary.path)" + (summary.target == summary.path ? "" : " -> \(summary.target)"),
                "size      \(summary.sizeBytes) bytes (" + (summary.sizeBytes < 1_048_576
                    ? String(format: "%.1f KiB", Double(summary.sizeBytes) / 1024)
                    : String(format: "%.1f MiB", Double(summary.sizeBytes) / 1_048_576)) + ")",
                "schema    \(summary.schema)",
                "records   \(summary.recordCount)" + (summary.recordCount == 0 ? "" : ": " + counts(summary.countsByState) { $0 }),
            ]
            if !summary.countsByOrigin.isEmpty {
                lines.append("origin    " + counts(summary.countsByOrigin) { $0.rawValue })
            }
            if !summary.countsByFeatureVersion.isEmpty {
                lines.append("features  " + counts(summary.countsByFeatureVersion) { "of version \($0)" }
                    + " (current: \(SongSummary.version))")
            }
            if !summary.countsByModel.isEmpty {
                lines.append("models    " + counts(summary.countsByModel) { $0 == "none" ? "without an embedding" : $0 })
            }
            lines.append("failures  \(failed)" + (failed > 0 ? " ('songatlas cache prune' removes them)" : ""))
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// `cache list` in `format`.
    static func list(_ records: [CacheRecordInfo], format: CacheCommand.Format) -> String {
        switch format {
        case .json:
            return json(ListJSON(records: records.map(RecordJSON.init)))
        case .csv:
            var table = CSVTable(header: ["path", "state", "origin", "models", "analyzedAt", "featureVersion",
                                          "excerptSeconds", "detail", "track"])
            for record in records {
                let row = RecordJSON(record)
                table.append([record.path, row.state, row.origin, row.models.joined(separator: ";"), row.analyzedAt ?? "",
                              String(row.featureVersion), CSVTable.number(row.excerptSeconds), row.detail ?? "",
                              row.track.map(String.init) ?? ""])
            }
            return table.rendered()
        case .text:
            guard !records.isEmpty else { return "no records\n" }
            let rows = records.map(RecordJSON.init)
            let stateWidth = rows.map(\.state.count).max() ?? 0
            let originWidth = rows.map(\.origin.count).max() ?? 0
            var lines: [String] = []
            for (record, row) in zip(records, rows) {
                let models = row.models.isEmpty ? "-" : row.models.joined(separator: ",")
                var line = row.state.padding(toLength: stateWidth, withPad: " ", startingAt: 0) + "  "
                    + row.origin.padding(toLength: originWidth, withPad: " ", startingAt: 0) + "  "
                    + (row.analyzedAt ?? "unknown").padding(toLength: 20, withPad: " ", startingAt: 0) + "  "
                    + models + "  " + RawPath.display(record.path) + (row.track.map { "#\($0)" } ?? "")
                if let detail = row.detail { line += "  (\(detail))" }
                lines.append(line)
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    private static func json<Document: Encodable>(_ document: Document) -> String {
        // The documents hold only strings and finite numbers: encoding cannot fail.
        let data = (try? JSONOutput.encoder().encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// ISO 8601 in UTC, to the second ("2026-12-07T11:30:05Z").
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    private struct InfoJSON: Encodable {
        var path: String
        var target: String
        var sizeBytes: Int64
        var schema: Int
        var records: Int
        var states: [String: Int]
        var origins: [String: Int]
        var featureVersions: [String: Int]
        var currentFeatureVersion: Int
        var models: [String: Int]
        var failures: Int

        init(_ summary: CacheSummary) {
            path = summary.path
            target = summary.target
            sizeBytes = summary.sizeBytes
            schema = summary.schema
            records = summary.recordCount
            states = summary.countsByState
            origins = Dictionary(uniqueKeysWithValues: summary.countsByOrigin.map { ($0.key.rawValue, $0.value) })
            featureVersions = Dictionary(uniqueKeysWithValues: summary.countsByFeatureVersion.map { (String($0.key), $0.value) })
            currentFeatureVersion = SongSummary.version
            models = summary.countsByModel
            failures = summary.countsByState["failed"] ?? 0
        }
    }

    private struct ListJSON: Encodable {
        var records: [RecordJSON]
    }

    private struct RecordJSON: Encodable {
        var path: String
        var state: String
        var origin: String
        var models: [String]
        var analyzedAt: String?
        var featureVersion: Int
        var excerptSeconds: Double
        /// The failure's message, the stale version or what is damaged.
        var detail: String?
        /// The cue sheet track the record is of (`path#track` is its seed form); absent for a whole file.
        var track: Int?

        init(_ record: CacheRecordInfo) {
            path = RawPath.display(record.path)
            state = record.state.name
            origin = record.origin.rawValue
            models = record.models
            analyzedAt = record.analyzedAt.map(CacheReport.timestamp)
            featureVersion = record.featureVersion
            excerptSeconds = record.excerptSeconds
            track = record.track > 0 ? record.track : nil
            switch record.state {
            case .analyzed: detail = nil
            case let .failed(kind, message): detail = "\(kind): \(message)"
            case let .stale(version): detail = "feature version \(version); analysed again when next met"
            case let .damaged(why): detail = why
            }
        }
    }
}
