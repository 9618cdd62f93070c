import AudioDecoding
import Export
import Features
import Foundation
import Library

/// Writes `analyze` records as they come: JSON or CSV, one track at a time.
///
/// Memory does not grow with the number of tracks: each track is rendered
/// and handed to the sink at once. Failures are few and small; they are kept
/// and written at the end (JSON `"errors"`, CSV rows with only `path` and `error`).
///
/// JSON: `{"featureNames": […], "featureVersion": …, "tracks": […], "errors": […]}`.
/// CSV: one row per track with a column per feature, then one per failure.
public final class AnalysisReportWriter {
    public enum Format: String, Sendable, CaseIterable { case json, csv }

    private let format: Format
    private let sink: (String) throws -> Void
    private var failures: [AnalysisFailure] = []
    private var trackCount = 0
    private let encoder = JSONOutput.encoder()

    static let fixedColumns = ["path", "title", "artist", "album", "format", "duration_seconds", "sample_rate",
                               "channels", "analyzed_seconds", "feature_version"]

    /// Starts a report; the sink receives text in order (a file writer, standard output, a string).
    public init(format: Format, sink: @escaping (String) throws -> Void) throws {
        self.format = format
        self.sink = sink
        switch format {
        case .json:
            let names = String(decoding: try encoder.encode(SongSummary.names), as: UTF8.self)
            try sink("{\n  \"featureNames\" : \(Self.indented(names, by: 2)),\n"
                + "  \"featureVersion\" : \(SongSummary.version),\n  \"tracks\" : [")
        case .csv:
            try sink(CSVTable.renderedRow(Self.fixedColumns + SongSummary.names + ["error"]))
        }
    }

    /// Adds one analysed track.
    public func append(_ track: TrackAnalysis) throws {
        switch format {
        case .json:
            let record = String(decoding: try encoder.encode(track), as: UTF8.self)
            try sink((trackCount == 0 ? "\n    " : ",\n    ") + Self.indented(record, by: 4))
        case .csv:
            try sink(CSVTable.renderedRow([
                track.path, track.title ?? "", track.artist ?? "", track.album ?? "", track.format,
                CSVTable.number(track.durationSeconds), "\(track.sampleRate)", "\(track.channelCount)",
                CSVTable.number(track.analyzedSeconds), "\(track.featureVersion)",
            ] + track.features.map { CSVTable.number($0.value) } + [""]))
        }
        trackCount += 1
    }

    /// Adds one file that failed; written at the end.
    public func append(_ failure: AnalysisFailure) { failures.append(failure) }

    /// Writes the failures and closes the document.
    public func finish() throws {
        switch format {
        case .json:
            let errors = String(decoding: try encoder.encode(failures), as: UTF8.self)
            try sink((trackCount == 0 ? "]" : "\n  ]") + ",\n  \"errors\" : \(Self.indented(errors, by: 2))\n}\n")
        case .csv:
            let width = Self.fixedColumns.count + SongSummary.names.count + 1
            for failure in failures {
                var row = [String](repeating: "", count: width)
                row[0] = failure.path
                row[width - 1] = failure.error
                try sink(CSVTable.renderedRow(row))
            }
        }
    }

    /// `text` with every line after the first indented by `spaces`.
    static func indented(_ text: String, by spaces: Int) -> String {
        text.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: spaces))
    }
}

extension AnalysisReport {
    /// The whole report as `analyze --format json` writes it (see ``AnalysisReportWriter``).
    public func renderedJSON() throws -> String { try rendered(.json) }

    /// The whole report as `analyze --format csv` writes it (see ``AnalysisReportWriter``).
    public func renderedCSV() -> String { (try? rendered(.csv)) ?? "" }

    private func rendered(_ format: AnalysisReportWriter.Format) throws -> String {
        var text = ""
        let writer = try AnalysisReportWriter(format: format) { text += $0 }
        for track in tracks { try writer.append(track) }
        for failure in failures { writer.append(failure) }
        try writer.finish()
        return text
    }
}

extension FrameFeatureMatrix {
    /// CSV: `time` then ``FrameFeatureNames/all``, one row per frame.
    public func renderedCSV() -> String {
        var table = CSVTable(header: ["time"] + columnNames)
        for frame in 0..<frameCount {
            table.append([CSVTable.number(configuration.framesToSeconds(frame))] + row(frame).map(CSVTable.number))
        }
        return table.rendered()
    }

    /// JSON: the STFT settings, column names, frame times and a row per frame.
    public func renderedJSON(path: String, info: AudioFileInfo) throws -> String {
        struct Document: Encodable {
            var path: String
            var sampleRate: Int
            var fftSize: Int
            var hopLength: Int
            var frameCount: Int
            var durationSeconds: Double
            var columns: [String]
            var times: [Double]
            var frames: [[Float]]
        }
        let encoder = JSONOutput.encoder(pretty: false)
        let document = Document(
            path: path, sampleRate: configuration.sampleRate, fftSize: configuration.fftSize,
            hopLength: configuration.hopLength, frameCount: frameCount, durationSeconds: info.durationSeconds,
            columns: columnNames, times: times, frames: (0..<frameCount).map { Array(row($0)) })
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
