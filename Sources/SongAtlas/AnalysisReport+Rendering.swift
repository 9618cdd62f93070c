import Foundation

extension AnalysisReport {
    /// JSON: `{"featureVersion": …, "featureNames": […], "tracks": […], "errors": […]}`.
    public func renderedJSON() throws -> String {
        struct Document: Encodable {
            var featureVersion: Int
            var featureNames: [String]
            var tracks: [TrackAnalysis]
            var errors: [AnalysisFailure]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(Document(
            featureVersion: SongSummary.version, featureNames: SongSummary.names, tracks: tracks, errors: failures))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// CSV: one row per track, then one per failure with only `path` and `error` filled.
    public func renderedCSV() -> String {
        let fixed = ["path", "title", "artist", "album", "format", "duration_seconds", "sample_rate", "channels",
                     "analyzed_seconds", "feature_version"]
        var table = CSVTable(header: fixed + SongSummary.names + ["error"])
        for track in tracks {
            table.append([
                track.path, track.title ?? "", track.artist ?? "", track.album ?? "", track.format,
                CSVTable.number(track.durationSeconds), "\(track.sampleRate)", "\(track.channelCount)",
                CSVTable.number(track.analyzedSeconds), "\(track.featureVersion)",
            ] + track.features.map { CSVTable.number($0.value) } + [""])
        }
        for failure in failures {
            var row = [String](repeating: "", count: table.header.count)
            row[0] = failure.path
            row[row.count - 1] = failure.error
            table.append(row)
        }
        return table.rendered()
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let document = Document(
            path: path, sampleRate: configuration.sampleRate, fftSize: configuration.fftSize,
            hopLength: configuration.hopLength, frameCount: frameCount, durationSeconds: info.durationSeconds,
            columns: columnNames, times: times, frames: (0..<frameCount).map { Array(row($0)) })
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
