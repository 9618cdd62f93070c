import Features
import Foundation

/// One analysed track, as `songatlas analyze` reports it.
public struct TrackAnalysis: Codable, Sendable, Equatable {
    public var path: String
    public var title: String?
    public var artist: String?
    public var album: String?
    public var format: String
    public var durationSeconds: Double
    public var sampleRate: Int
    public var channelCount: Int
    /// Seconds analysed, from `analyzedStartSeconds` (an excerpt is shorter than the track).
    public var analyzedSeconds: Double
    public var analyzedStartSeconds: Double
    /// Samples that were NaN or infinite in the file and were read as silence.
    public var nonFiniteSampleCount: Int
    public var featureVersion: Int
    /// ``SongSummary/names`` paired with their values, in order.
    public var features: [NamedValue]

    public struct NamedValue: Codable, Sendable, Equatable {
        public var name: String
        public var value: Float
    }

    public init(path: String, features: TrackFeatures) {
        self.path = path
        title = features.info.title
        artist = features.info.artist
        album = features.info.album
        format = features.info.format
        durationSeconds = features.info.durationSeconds
        sampleRate = features.info.sampleRate
        channelCount = features.info.channelCount
        analyzedSeconds = features.analyzedSeconds
        analyzedStartSeconds = features.startSeconds
        nonFiniteSampleCount = features.nonFiniteSampleCount
        featureVersion = features.summary.version
        self.features = features.summary.named.map { NamedValue(name: $0.name, value: $0.value) }
    }

    /// The summary vector, in ``SongSummary/names`` order.
    public var summary: SongSummary { SongSummary(version: featureVersion, values: features.map(\.value)) }
}

/// A file that could not be analysed, and why.
public struct AnalysisFailure: Codable, Sendable, Equatable {
    public var path: String
    public var error: String

    public init(path: String, error: String) {
        self.path = path
        self.error = error
    }

    /// A failure from an error whose message names the path first (as
    /// ``DecodingError``'s do); the path is not repeated in ``error``.
    public init(path: String, error: Error) {
        let message = "\(error)"
        self.path = path
        self.error = message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
    }
}

/// Everything one `analyze` run produced.
public struct AnalysisReport: Codable, Sendable, Equatable {
    public var tracks: [TrackAnalysis]
    public var failures: [AnalysisFailure]

    public init(tracks: [TrackAnalysis], failures: [AnalysisFailure]) {
        self.tracks = tracks
        self.failures = failures
    }

    enum CodingKeys: String, CodingKey {
        case tracks
        case failures = "errors"
    }
}
