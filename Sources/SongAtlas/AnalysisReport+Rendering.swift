import AudioDecoding
import Clustering
import Export
import Features
import Foundation
import Library

/// Writes `analyze` records as they come: JSON or CSV, one track at a time.
///
/// Renders the domain values (``TrackAnalysis``, ``AnalysisFailure``) through
/// ``TrackRecordJSON`` and ``FailureRecordJSON``, so the output format and
/// the feature cache's record change independently.
///
/// Memory does not grow with the number of tracks: each track is rendered
/// and handed to the sink at once. Failures are few and small; they are kept
/// and written at the end (JSON `"errors"`, CSV rows with only `path` and `error`).
///
/// JSON: `{"featureNames": […], "featureVersion": …, "tracks": […], "errors": […]}`, keys sorted,
/// each track a ``TrackRecordJSON`` and each failure a ``FailureRecordJSON``.
/// CSV: one row per track with a column per feature, then one per failure.
public final class AnalysisReportWriter {
    public enum Format: String, Sendable, CaseIterable { case json, csv }

    private let format: Format
    private let sink: (String) throws -> Void
    private var failures: [AnalysisFailure] = []
    private var trackCount = 0
    private let encoder = JSONOutput.encoder()
    private let highlightColumns: Bool

    static let fixedColumns = ["path", "title", "artist", "album", "format", "duration_seconds", "sample_rate",
                               "channels", "analyzed_seconds", "feature_version"]

    /// Starts a report; the sink receives text in order (a file writer, standard output, a string).
    ///
    /// - Parameter highlightColumns: the CSV gets `highlight_start` and `highlight_end` columns (`analyze --highlight`).
    public init(format: Format, highlightColumns: Bool = false, sink: @escaping (String) throws -> Void) throws {
        self.format = format
        self.sink = sink
        self.highlightColumns = highlightColumns
        switch format {
        case .json:
            let names = String(decoding: try encoder.encode(SongSummary.names), as: UTF8.self)
            try sink("{\n  \"featureNames\" : \(Self.indented(names, by: 2)),\n"
                + "  \"featureVersion\" : \(SongSummary.version),\n  \"tracks\" : [")
        case .csv:
            try sink(CSVTable.renderedRow(Self.fixedColumns + SongSummary.names
                + (highlightColumns ? ["highlight_start", "highlight_end"] : []) + ["error"]))
        }
    }

    /// Adds one analysed track, with its highlight when one was chosen.
    public func append(_ track: TrackAnalysis, highlight: Highlight? = nil) throws {
        switch format {
        case .json:
            var json = TrackRecordJSON(track)
            json.highlight = highlight
            let record = String(decoding: try encoder.encode(json), as: UTF8.self)
            try sink((trackCount == 0 ? "\n    " : ",\n    ") + Self.indented(record, by: 4))
        case .csv:
            try sink(CSVTable.renderedRow([
                track.path, track.title ?? "", track.artist ?? "", track.album ?? "", track.format,
                CSVTable.number(track.durationSeconds), "\(track.sampleRate)", "\(track.channelCount)",
                CSVTable.number(track.analyzedSeconds), "\(track.summary.version)",
            ] + track.summary.values.map(CSVTable.number)
                + (highlightColumns ? [highlight.map { CSVTable.number($0.start) } ?? "",
                                       highlight.map { CSVTable.number($0.end) } ?? ""] : []) + [""]))
        }
        trackCount += 1
    }

    /// Adds one file that failed; written at the end.
    public func append(_ failure: AnalysisFailure) { failures.append(failure) }

    /// Writes the failures and closes the document.
    public func finish() throws {
        switch format {
        case .json:
            let errors = String(decoding: try encoder.encode(failures.map(FailureRecordJSON.init)), as: UTF8.self)
            try sink((trackCount == 0 ? "]" : "\n  ]") + ",\n  \"errors\" : \(Self.indented(errors, by: 2))\n}\n")
        case .csv:
            let width = Self.fixedColumns.count + SongSummary.names.count + (highlightColumns ? 2 : 0) + 1
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

/// One track as `analyze --format json` writes it: the file's fields, then
/// `featureVersion` and `features`, the summary as `{"name", "value"}` pairs
/// in ``SummaryLayout`` order (names from the layout of that version).
///
/// A rendering of ``TrackAnalysis``, not a storage format: the feature cache
/// keeps its own record.
public struct TrackRecordJSON: Codable, Sendable, Equatable {
    /// One summary dimension: its output name and value.
    public struct NamedValue: Codable, Sendable, Equatable {
        public var name: String
        public var value: Float
    }

    public var path: String
    public var title: String?
    public var artist: String?
    public var album: String?
    public var format: String
    public var durationSeconds: Double
    public var sampleRate: Int
    public var channelCount: Int
    public var analyzedSeconds: Double
    public var analyzedStartSeconds: Double
    public var nonFiniteSampleCount: Int
    public var featureVersion: Int
    public var features: [NamedValue]
    /// The track's most representative excerpt (`analyze --highlight`); absent otherwise.
    public var highlight: Highlight?

    /// The record of `track`; its values are named by ``SongSummary/names``.
    public init(_ track: TrackAnalysis) {
        path = track.path
        title = track.title
        artist = track.artist
        album = track.album
        format = track.format
        durationSeconds = track.durationSeconds
        sampleRate = track.sampleRate
        channelCount = track.channelCount
        analyzedSeconds = track.analyzedSeconds
        analyzedStartSeconds = track.analyzedStartSeconds
        nonFiniteSampleCount = track.nonFiniteSampleCount
        featureVersion = track.summary.version
        features = track.summary.named.map { NamedValue(name: $0.name, value: $0.value) }
    }

    /// The track this record renders.
    ///
    /// - Throws: `Swift.DecodingError.dataCorrupted` when `features` does not
    ///   name, in order, the dimensions of the ``SummaryLayout`` of ``featureVersion``.
    public func track() throws -> TrackAnalysis {
        guard let layout = SummaryLayout.forVersion(featureVersion), layout.names == features.map(\.name) else {
            throw Swift.DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "\(path): features are not those of feature version \(featureVersion)"))
        }
        return TrackAnalysis(
            path: path, title: title, artist: artist, album: album, format: format, durationSeconds: durationSeconds,
            sampleRate: sampleRate, channelCount: channelCount, analyzedSeconds: analyzedSeconds,
            analyzedStartSeconds: analyzedStartSeconds, nonFiniteSampleCount: nonFiniteSampleCount,
            summary: SongSummary(version: featureVersion, values: features.map(\.value)))
    }
}

/// One failure as `analyze --format json` writes it: `{"error", "path"}`
/// (the ``AnalysisFailure/kind`` is not part of the output).
public struct FailureRecordJSON: Codable, Sendable, Equatable {
    public var path: String
    public var error: String

    /// The record of `failure`.
    public init(_ failure: AnalysisFailure) {
        path = failure.path
        error = failure.error
    }
}

extension AnalysisReport: Decodable {
    private enum CodingKeys: String, CodingKey {
        case tracks
        case failures = "errors"
    }

    /// Reads a report back from what `analyze --format json` wrote
    /// (``AnalysisReportWriter``); `featureNames` and `featureVersion` at the
    /// top are not needed, each track names its own.
    ///
    /// Failures come back with ``AnalysisFailure/Kind/other``: the output does
    /// not carry kinds.
    /// - Throws: `Swift.DecodingError` for JSON of another shape, or a track
    ///   whose features are not its feature version's (``TrackRecordJSON/track()``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let tracks = try container.decode([TrackRecordJSON].self, forKey: .tracks).map { try $0.track() }
        let failures = try container.decode([FailureRecordJSON].self, forKey: .failures)
            .map { AnalysisFailure(path: $0.path, error: $0.error) }
        self.init(tracks: tracks, failures: failures)
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
