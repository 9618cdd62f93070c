import AudioDecoding
import Clustering
import Export
import Features
import FilePaths
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
/// CSV: one row per track: its file and tags, then, for one track of a cue sheet, `cue_track`
/// (its `TRACK` number; `track` is the tag's number, as in JSON's `trackNumber`), `start` and `end`
/// (its range of the file, in seconds), empty for a whole file: the header is written before the
/// first track is known, so these columns are always there. Then a column per feature, then `absent` (the features not defined
/// on the track, whose cells are empty, and why), and, with an embedding, `emb_1` … `emb_d`
/// for the model's ``EmbeddingModel/dimension`` d, all parts concatenated, and the top three
/// tags of its first part; then one row per failure.
/// JSON Lines (`jsonl`): one compact JSON object per line, each track a ``TrackRecordJSON`` as the JSON
/// document has it, then each failure a ``FailureRecordJSON``; no header, so shards' files concatenate
/// (`cat`) and Spark's `spark.read.json` reads them.
public final class AnalysisReportWriter {
    public enum Format: String, Sendable, CaseIterable { case json, csv, jsonl }

    private let format: Format
    /// The embedding each track shows, if any.
    private let embedding: FeatureSpace.EmbeddingKey?
    private let sink: (String) throws -> Void
    private var failures: [AnalysisFailure] = []
    private var trackCount = 0
    private let encoder = JSONOutput.encoder()
    /// One record a line (JSON Lines).
    private let lineEncoder = JSONOutput.encoder(pretty: false)
    private let highlightColumns: Bool

    static let fixedColumns = ["path", "title", "artist", "album", "format", "duration_seconds", "sample_rate",
                               "channels", "analyzed_seconds", "feature_version", "track", "disc", "decoder",
                               "path_display", "path_uri", "cue_track", "start", "end"]

    /// Starts a report; the sink receives text in order (a file writer, standard output, a string).
    ///
    /// - Parameters:
    ///   - format: JSON or CSV.
    ///   - embedding: the embedding to show for each track (its values and tags); nil for none.
    ///   - highlightColumns: the CSV gets `highlight_start`, `highlight_end` and `highlight_reason` columns (`analyze --highlight`).
    ///   - sink: receives the text in order.
    public init(format: Format, embedding: FeatureSpace.EmbeddingKey? = nil, highlightColumns: Bool = false,
                sink: @escaping (String) throws -> Void) throws {
        self.format = format
        self.embedding = embedding
        self.sink = sink
        self.highlightColumns = highlightColumns
        switch format {
        case .json:
            let names = String(decoding: try encoder.encode(SongSummary.names), as: UTF8.self)
            try sink("{\n  \"featureNames\" : \(Self.indented(names, by: 2)),\n"
                + "  \"featureVersion\" : \(SongSummary.version),\n  \"tracks\" : [")
        case .csv:
            try sink(CSVTable.renderedRow(Self.fixedColumns + SongSummary.names + ["absent"] + embeddingColumns
                + (highlightColumns ? ["highlight_start", "highlight_end", "highlight_reason"] : []) + ["error"]))
        case .jsonl: break
        }
    }

    /// Top tags shown in CSV.
    static let csvTagCount = 3

    /// `emb_1` … `emb_d` (d the model's dimension), `tag_1` … `tag_3` with an embedding; else none.
    private var embeddingColumns: [String] {
        guard let embedding else { return [] }
        return (1...embedding.model.dimension).map { "emb_\($0)" } + (1...Self.csvTagCount).map { "tag_\($0)" }
    }

    /// Adds one analysed track, with its highlight when one was chosen.
    public func append(_ track: TrackAnalysis, highlight: SegmentHighlight? = nil) throws {
        switch format {
        case .json, .jsonl:
            var json = TrackRecordJSON(track, embedding: embedding)
            json.highlight = highlight
            if format == .jsonl {
                try sink(String(decoding: try lineEncoder.encode(json), as: UTF8.self) + "\n")
                break
            }
            let record = String(decoding: try encoder.encode(json), as: UTF8.self)
            try sink((trackCount == 0 ? "\n    " : ",\n    ") + Self.indented(record, by: 4))
        case .csv:
            // A feature not defined on the track (tempo without a beat, chroma on silence) is an empty
            // cell, and the `absent` column says which and why.
            let absent = track.summary.absentFeatures
            let absentNames = Set(absent.flatMap(\.names))
            let values = zip(SongSummary.names, track.summary.values).map { absentNames.contains($0) ? "" : CSVTable.number($1) }
            try sink(CSVTable.renderedRow([
                track.path, track.title ?? "", track.artist ?? "", track.album ?? "", track.format,
                CSVTable.number(track.durationSeconds), "\(track.sampleRate)", "\(track.channelCount)",
                CSVTable.number(track.analyzedSeconds), "\(track.summary.version)",
                track.trackNumber.map(String.init) ?? "", track.discNumber.map(String.init) ?? "", track.decoder.rawValue,
                PathForms(track.path)?.display ?? "", PathForms(track.path)?.uri ?? "",
                track.cueTrack.map { "\($0.trackNumber)" } ?? "", track.cueTrack.map { CSVTable.number($0.startSeconds) } ?? "",
                track.cueTrack.map { CSVTable.number($0.endSeconds) } ?? "",
            ] + values + [Self.absentCell(absent)] + embeddingCells(track)
                + (highlightColumns ? [highlight.map { CSVTable.number($0.start) } ?? "",
                                       highlight.map { CSVTable.number($0.end) } ?? "",
                                       highlight?.reason ?? ""] : []) + [""]))
        }
        trackCount += 1
    }

    /// The `absent` cell: `tempo_bpm: pulse clarity 0.031 is below 0.15: no measurable beat`, one feature
    /// group after another (`chroma_*` for the chroma dimensions), separated by `; `.
    static func absentCell(_ absent: [SongSummary.AbsentFeature]) -> String {
        absent.map { feature in
            let name = feature.names.count == 1 ? feature.names[0]
                : String(feature.names[0].prefix { $0 != "_" }) + "_*"
            return "\(name): \(feature.reason)"
        }.joined(separator: "; ")
    }

    /// The CSV cells of `track`'s embedding (empty cells when it has none).
    private func embeddingCells(_ track: TrackAnalysis) -> [String] {
        guard let embedding else { return [] }
        guard let parts = track.embeddings(embedding.model, patchBudget: embedding.patchBudget) else {
            return [String](repeating: "", count: embeddingColumns.count)
        }
        let tags = parts[0].rankedTags.prefix(Self.csvTagCount).map(\.tag)
        return parts.flatMap(\.values).map(CSVTable.number) + tags
            + [String](repeating: "", count: Self.csvTagCount - tags.count)
    }

    /// Adds one file that failed; written at the end.
    public func append(_ failure: AnalysisFailure) { failures.append(failure) }

    /// Writes the failures and closes the document.
    ///
    /// - Parameter otherFiles: files the scan passed over as not audio; JSON
    ///   gives their count by extension as `"skippedFiles"` when there are any
    ///   (CSV has no place for them).
    public func finish(otherFiles: OtherFiles = OtherFiles()) throws {
        switch format {
        case .json:
            let errors = String(decoding: try encoder.encode(failures.map(FailureRecordJSON.init)), as: UTF8.self)
            var skipped = ""
            if otherFiles.count > 0 {
                let counts = String(decoding: try encoder.encode(otherFiles.countsByExtension), as: UTF8.self)
                skipped = ",\n  \"skippedFiles\" : \(Self.indented(counts, by: 2))"
            }
            try sink((trackCount == 0 ? "]" : "\n  ]") + ",\n  \"errors\" : \(Self.indented(errors, by: 2))"
                + skipped + "\n}\n")
        case .jsonl:
            for failure in failures {
                try sink(String(decoding: try lineEncoder.encode(FailureRecordJSON(failure)), as: UTF8.self) + "\n")
            }
        case .csv:
            let width = Self.fixedColumns.count + SongSummary.names.count + embeddingColumns.count
                + (highlightColumns ? 3 : 0) + 2
            for failure in failures {
                var row = [String](repeating: "", count: width)
                row[0] = failure.path
                if let forms = PathForms(failure.path) {
                    row[Self.fixedColumns.firstIndex(of: "path_display")!] = forms.display
                    row[Self.fixedColumns.firstIndex(of: "path_uri")!] = forms.uri
                }
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
    /// One summary dimension: its output name and value, or why it has none.
    ///
    /// A feature not defined on the track (``SongSummary/absentFeatures``: tempo without a
    /// measurable beat, chroma on silence) is written `{"name": "tempo_bpm", "value": null,
    /// "absent": "pulse clarity 0.031 is below 0.15: no measurable beat", "vectorValue": 240}`:
    /// `vectorValue` is the finite number the summary vector keeps in its place (what clustering
    /// compares), so the record reads back whole.
    public struct NamedValue: Codable, Sendable, Equatable {
        public var name: String
        /// The value; nil (`null`) when the feature is absent.
        public var value: Float?
        /// Why the feature is absent, naming the measure that decided it; nil otherwise.
        public var absent: String?
        /// For an absent feature, the number the summary vector holds; nil otherwise.
        public var vectorValue: Float?

        public init(name: String, value: Float, absent: String? = nil) {
            self.name = name
            self.value = absent == nil ? value : nil
            self.absent = absent
            self.vectorValue = absent == nil ? nil : value
        }

        private enum CodingKeys: String, CodingKey { case name, value, absent, vectorValue }

        /// Writes `value` always, as `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(value, forKey: .value)
            try container.encodeIfPresent(absent, forKey: .absent)
            try container.encodeIfPresent(vectorValue, forKey: .vectorValue)
        }

        /// The number the summary vector holds for this dimension.
        var storedValue: Float? { value ?? vectorValue }
    }

    /// The path, lossless: a name that is not UTF-8 keeps its bytes as ``RawPath`` escapes.
    public var path: String
    /// For a name that is not UTF-8 only: the path for people (bad bytes as `\xNN`).
    public var pathDisplay: String?
    /// For a name that is not UTF-8 only: its `file://` URI, every byte kept as `%XX`.
    public var pathURI: String?
    public var title: String?
    public var artist: String?
    public var album: String?
    public var trackNumber: Int?
    public var discNumber: Int?
    public var format: String
    /// `"libsndfile"` or `"ffmpeg"`; absent in reports written before FFmpeg decoding.
    public var decoder: String?
    public var durationSeconds: Double
    public var sampleRate: Int
    public var channelCount: Int
    public var analyzedSeconds: Double
    public var analyzedStartSeconds: Double
    public var nonFiniteSampleCount: Int
    public var featureVersion: Int
    public var features: [NamedValue]
    /// The learned embedding shown, when one was asked for and the track has it.
    public var embedding: EmbeddingJSON?
    /// Every tag of the embedding's model with its probability, highest first.
    public var tags: [TagJSON]?
    /// With a fused model (``EmbeddingModel/isFused``): every part, in the model's
    /// order, each with its tags (``embedding`` and ``tags`` repeat the first part); absent otherwise.
    public var embeddingParts: [EmbeddingJSON]?

    /// A learned embedding: `{"model": "musicnn-mtt", "values": [200 numbers], …}`.
    public struct EmbeddingJSON: Codable, Sendable, Equatable {
        /// The network's ``EmbeddingNetworkIdentity/identifier`` (one of ``EmbeddingModel/networks``).
        public var model: String
        public var version: Int
        /// "all" or the patch budget's count.
        public var patchBudget: String
        public var patchCount: Int
        /// True when the track was shorter than one patch and was zero-padded.
        public var padded: Bool
        public var values: [Float]
        /// In ``TrackRecordJSON/embeddingParts`` only: the part's tags, highest first.
        public var tags: [TagJSON]?

        /// The record of one network's embedding.
        init(_ value: SongEmbedding, tags withTags: Bool) {
            model = value.model.identifier
            version = value.version
            patchBudget = value.patchBudget.description
            patchCount = value.patchCount
            padded = value.isPadded
            values = value.values
            tags = withTags ? value.rankedTags.map { TagJSON(tag: $0.tag, probability: $0.probability) } : nil
        }

        /// The embedding this record shows, given the tag probabilities by tag (from `tags` when nil).
        func embedding(path: String, probabilities: [TagJSON]?) throws -> SongEmbedding {
            guard let model = EmbeddingModel.network(named: self.model)?.identity, model.identifier == self.model,
                  let budget = PatchBudget(description: patchBudget) else {
                throw Swift.DecodingError.dataCorrupted(.init(
                    codingPath: [], debugDescription: "\(path): unknown embedding \(self.model), patches \(patchBudget)"))
            }
            let probability = Dictionary((probabilities ?? tags ?? []).map { ($0.tag, $0.probability) },
                                         uniquingKeysWith: { first, _ in first })
            return SongEmbedding(model: model, version: version, values: values,
                                 tagProbabilities: model.tags.map { probability[$0] ?? 0 }, patchCount: patchCount,
                                 isPadded: padded, patchBudget: budget)
        }
    }

    /// One tag and its probability in [0, 1].
    public struct TagJSON: Codable, Sendable, Equatable {
        public var tag: String
        public var probability: Float
    }
    /// The track's most representative excerpt (`analyze --highlight`); absent otherwise.
    public var highlight: SegmentHighlight?
    /// For one track of a cue sheet: its `TRACK` number, and its range of the file at ``path``
    /// (seconds from the file's start to its first sample and to one past its last); absent for a whole file.
    public var cueTrack: Int?
    public var cueStart: Double?
    public var cueEnd: Double?

    private enum CodingKeys: String, CodingKey {
        case path, pathDisplay, pathURI, title, artist, album, trackNumber, discNumber, format, decoder, durationSeconds,
             sampleRate, channelCount, analyzedSeconds, analyzedStartSeconds, nonFiniteSampleCount, featureVersion,
             features, embedding, tags, embeddingParts, highlight
        case cueTrack = "track", cueStart = "start", cueEnd = "end"
    }

    /// The record of `track`; its values are named by ``SongSummary/names``.
    ///
    /// - Parameters:
    ///   - track: the analysed track.
    ///   - embedding: which of the track's embeddings to show; nil for none.
    public init(_ track: TrackAnalysis, embedding key: FeatureSpace.EmbeddingKey? = nil) {
        path = track.path
        pathDisplay = PathForms(track.path)?.display
        pathURI = PathForms(track.path)?.uri
        title = track.title
        artist = track.artist
        album = track.album
        trackNumber = track.trackNumber
        discNumber = track.discNumber
        format = track.format
        decoder = track.decoder.rawValue
        durationSeconds = track.durationSeconds
        sampleRate = track.sampleRate
        channelCount = track.channelCount
        analyzedSeconds = track.analyzedSeconds
        analyzedStartSeconds = track.analyzedStartSeconds
        nonFiniteSampleCount = track.nonFiniteSampleCount
        featureVersion = track.summary.version
        if let cue = track.cueTrack {
            cueTrack = cue.trackNumber
            cueStart = cue.startSeconds
            cueEnd = cue.endSeconds
        }
        let absent = Dictionary(track.summary.absentFeatures.flatMap { feature in feature.names.map { ($0, feature.reason) } },
                                uniquingKeysWith: { first, _ in first })
        features = track.summary.named.map { NamedValue(name: $0.name, value: $0.value, absent: absent[$0.name]) }
        if let key, let parts = track.embeddings(key.model, patchBudget: key.patchBudget) {
            embedding = EmbeddingJSON(parts[0], tags: false)
            tags = parts[0].rankedTags.map { TagJSON(tag: $0.tag, probability: $0.probability) }
            if key.model.isFused { embeddingParts = parts.map { EmbeddingJSON($0, tags: true) } }
        }
    }

    /// The track this record renders.
    ///
    /// - Throws: `Swift.DecodingError.dataCorrupted` when `features` does not
    ///   name, in order, the dimensions of the ``SummaryLayout`` of ``featureVersion``.
    public func track() throws -> TrackAnalysis {
        let values = features.compactMap(\.storedValue)
        guard let layout = SummaryLayout.forVersion(featureVersion), layout.names == features.map(\.name),
              values.count == features.count else {
            throw Swift.DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "\(path): features are not those of feature version \(featureVersion)"))
        }
        return TrackAnalysis(
            path: path, title: title, artist: artist, album: album, format: format, durationSeconds: durationSeconds,
            sampleRate: sampleRate, channelCount: channelCount, analyzedSeconds: analyzedSeconds,
            analyzedStartSeconds: analyzedStartSeconds, nonFiniteSampleCount: nonFiniteSampleCount,
            summary: SongSummary(version: featureVersion, values: values),
            trackNumber: trackNumber, discNumber: discNumber,
            decoder: decoder.flatMap(AudioDecoderKind.init(rawValue:)) ?? .libsndfile,
            embeddings: try recordedEmbeddings())
    }

    /// The embeddings this record shows (every part of a fused model), with tag probabilities back in model order.
    private func recordedEmbeddings() throws -> [SongEmbedding] {
        if let embeddingParts { return try embeddingParts.map { try $0.embedding(path: path, probabilities: nil) } }
        guard let embedding else { return [] }
        return [try embedding.embedding(path: path, probabilities: tags ?? [])]
    }
}

/// One failure as `analyze --format json` writes it: `{"error", "path"}`
/// (the ``AnalysisFailure/kind`` is not part of the output).
public struct FailureRecordJSON: Codable, Sendable, Equatable {
    public var path: String
    /// As in ``TrackRecordJSON``: present for a name that is not UTF-8.
    public var pathDisplay: String?
    public var pathURI: String?
    public var error: String

    /// The record of `failure`.
    public init(_ failure: AnalysisFailure) {
        path = failure.path
        pathDisplay = PathForms(failure.path)?.display
        pathURI = PathForms(failure.path)?.uri
        error = failure.error
    }
}

/// The text forms of a path whose name is not UTF-8: for people (`\xNN`)
/// and for programs (a `file://` URI with `%XX`, lossless). Nil for a UTF-8
/// path, which is its own text.
struct PathForms {
    var display: String
    var uri: String

    init?(_ path: String) {
        guard !RawPath.isText(path) else { return nil }
        display = RawPath.display(path)
        let absolute = PathKey.of(path)
        uri = "file://" + RawPath.percentEncoded(absolute)
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
    /// The embedding the report shows: the first track's, if it has one.
    private var embeddingShown: FeatureSpace.EmbeddingKey? {
        tracks.first?.embeddings.first.flatMap { first in
            EmbeddingModel.named(first.model.name).map { FeatureSpace.EmbeddingKey(model: $0, patchBudget: first.patchBudget) }
        }
    }

    /// The whole report as `analyze --format json` writes it (see ``AnalysisReportWriter``).
    public func renderedJSON() throws -> String { try rendered(.json) }

    /// The whole report as `analyze --format csv` writes it (see ``AnalysisReportWriter``).
    public func renderedCSV() -> String { (try? rendered(.csv)) ?? "" }

    private func rendered(_ format: AnalysisReportWriter.Format) throws -> String {
        var text = ""
        let writer = try AnalysisReportWriter(format: format, embedding: embeddingShown) { text += $0 }
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
