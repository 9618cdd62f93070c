import AudioDecoding
import Features
import FilePaths
import Foundation

/// One analysed track: what the library knows about a file and its song summary.
///
/// The domain value that crosses from the library to clustering. It is not a
/// storage or output format: the feature cache keeps its own record of it
/// (`CachedTrack`), and `songatlas analyze` renders it through
/// `AnalysisReportWriter`, so either format can change without the other.
public struct TrackAnalysis: Sendable, Equatable {
    /// The file as the user named it (or as the folder scan found it).
    public var path: String
    /// Tags from the file, when present.
    public var title: String?
    public var artist: String?
    public var album: String?
    /// The file's genre tag as spelled there; nil when it has none (and in records cached before genres were read).
    public var genre: String?
    /// Track and disc number, from the tags.
    public var trackNumber: Int?
    public var discNumber: Int?
    /// Container and encoding as the decoder names them ("FLAC/PCM_16", "MP4/AAC").
    public var format: String
    /// The library that decoded the file.
    public var decoder: AudioDecoderKind
    /// The track's length in seconds (exact after a full decode).
    public var durationSeconds: Double
    /// The file's own sample rate in Hz (before resampling to the analysis rate).
    public var sampleRate: Int
    /// The file's channel count (before the downmix to mono).
    public var channelCount: Int
    /// Seconds analysed, from ``analyzedStartSeconds`` (an excerpt is shorter than the track).
    public var analyzedSeconds: Double
    /// Where the analysed audio starts, in seconds.
    public var analyzedStartSeconds: Double
    /// Samples that were NaN or infinite in the file and were read as silence.
    public var nonFiniteSampleCount: Int
    /// The song summary vector, laid out by ``SummaryLayout`` for its ``SongSummary/version``.
    public var summary: SongSummary
    /// Learned embeddings, at most one per model (the cache keeps every model's).
    public var embeddings: [SongEmbedding]
    /// Set when the header's length disagrees with the decoded one (``AudioFileInfo/durationNote``:
    /// "header says 3116529 s, decoded 30.0 s"); ``durationSeconds`` is then the decoded length.
    public var durationNote: String?
    /// The cue sheet track this song is, with its range of ``path``; nil for a whole file.
    /// A song's identity is (``path``, the track's number).
    public var cueTrack: CueSheetTrack?
    /// The Chromaprint fingerprint (``AudioFingerprint``) from the analysis decode; nil for a record
    /// made before there were fingerprints, or when Chromaprint failed.
    ///
    /// A track read from the cache leaves it in its record until it is first asked for
    /// (``FingerprintSlot``; ``loadFingerprints(_:)`` reads many at once).
    public var fingerprint: AudioFingerprint? {
        get { fingerprintSlot.fingerprint }
        set { fingerprintSlot = FingerprintSlot(newValue) }
    }
    /// Where ``fingerprint`` is: in memory, or still in the cache record the track was read from.
    var fingerprintSlot = FingerprintSlot(nil)

    /// One track from its fields.
    ///
    /// - Parameters:
    ///   - path: the file as named.
    ///   - title: tag, or nil; default nil.
    ///   - artist: tag, or nil; default nil.
    ///   - album: tag, or nil; default nil.
    ///   - format: libsndfile's format name.
    ///   - durationSeconds: the track's length in seconds, ≥ 0.
    ///   - sampleRate: the file's sample rate in Hz.
    ///   - channelCount: the file's channel count.
    ///   - analyzedSeconds: seconds analysed, ≥ 0.
    ///   - analyzedStartSeconds: where the analysed audio starts, in seconds; default 0.
    ///   - nonFiniteSampleCount: damaged samples read as silence; default 0.
    ///   - summary: the song summary.
    ///   - trackNumber: track number tag, or nil; default nil.
    ///   - discNumber: disc number tag, or nil; default nil.
    ///   - decoder: the library that decoded the file; default libsndfile.
    ///   - embeddings: learned embeddings, at most one per model; default none.
    public init(path: String, title: String? = nil, artist: String? = nil, album: String? = nil, format: String,
                durationSeconds: Double, sampleRate: Int, channelCount: Int, analyzedSeconds: Double,
                analyzedStartSeconds: Double = 0, nonFiniteSampleCount: Int = 0, summary: SongSummary,
                trackNumber: Int? = nil, discNumber: Int? = nil, decoder: AudioDecoderKind = .libsndfile,
                embeddings: [SongEmbedding] = []) {
        self.path = path
        self.trackNumber = trackNumber
        self.discNumber = discNumber
        self.decoder = decoder
        self.title = title
        self.artist = artist
        self.album = album
        self.format = format
        self.durationSeconds = durationSeconds
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.analyzedSeconds = analyzedSeconds
        self.analyzedStartSeconds = analyzedStartSeconds
        self.nonFiniteSampleCount = nonFiniteSampleCount
        self.summary = summary
        self.embeddings = embeddings
    }

    /// The track at `path` from what ``FeatureExtractor`` computed.
    ///
    /// - Parameters:
    ///   - path: the file as named.
    ///   - features: the extractor's result for that file.
    public init(path: String, features: TrackFeatures) {
        self.init(path: path, title: features.info.title, artist: features.info.artist, album: features.info.album,
                  format: features.info.format, durationSeconds: features.info.durationSeconds,
                  sampleRate: features.info.sampleRate, channelCount: features.info.channelCount,
                  analyzedSeconds: features.analyzedSeconds, analyzedStartSeconds: features.startSeconds,
                  nonFiniteSampleCount: features.nonFiniteSampleCount, summary: features.summary,
                  trackNumber: features.info.trackNumber, discNumber: features.info.discNumber,
                  decoder: features.info.decoder, embeddings: features.embeddings)
        durationNote = features.info.durationNote
        fingerprint = features.fingerprint
        genre = features.info.genre
    }

    /// The song `song` from what ``FeatureExtractor`` computed of its range: for a
    /// cue track, title, performer and album from the sheet (already filled from
    /// the file's tags, ``CueSheetTrack/fillingGaps(from:holdsOneTrack:)``), its
    /// number as the track number, its length as the duration, and no header note.
    ///
    /// - Parameters:
    ///   - song: the scanned song.
    ///   - features: the extractor's result for its range.
    public init(song: ScannedSong, features: TrackFeatures) {
        self.init(path: song.path, features: features)
        guard let cue = song.cueTrack else { return }
        cueTrack = cue
        title = cue.title
        artist = cue.performer
        album = cue.album
        trackNumber = cue.trackNumber
        durationSeconds = cue.durationSeconds
        durationNote = nil
    }

    /// The track number that tells this song from the other songs of its file; nil for a whole file.
    public var cueTrackNumber: Int? { cueTrack?.trackNumber }

    /// The track's current embedding from `model` made with `patchBudget`, if it has one.
    ///
    /// - Complexity: O(models kept), at most two.
    public func embedding(_ model: some EmbeddingNetworkIdentifying, patchBudget: PatchBudget) -> SongEmbedding? {
        embeddings.first { $0.isCurrent(for: model, patchBudget: patchBudget) }
    }

    /// The track's current embedding of every part of `model`, in part order, or nil when it lacks one.
    ///
    /// - Complexity: O(parts × models kept).
    public func embeddings(_ model: EmbeddingModel, patchBudget: PatchBudget) -> [SongEmbedding]? {
        var found: [SongEmbedding] = []
        for part in model.parts {
            guard let value = embedding(part, patchBudget: patchBudget) else { return nil }
            found.append(value)
        }
        return found
    }

    /// The parts of `model` the track has no current embedding of, made with `patchBudget`.
    public func missingParts(of model: EmbeddingModel, patchBudget: PatchBudget) -> [EmbeddingNetworkIdentity] {
        model.parts.filter { embedding($0, patchBudget: patchBudget) == nil }
    }

    /// Keeps `embedding` in place of any other of its model.
    public mutating func setEmbedding(_ embedding: SongEmbedding) {
        embeddings.removeAll { $0.model == embedding.model }
        embeddings.append(embedding)
        embeddings.sort { $0.model.name < $1.model.name }
    }
}

/// A file that could not be analysed: what kind of failure, and the message.
public struct AnalysisFailure: Sendable, Equatable {
    /// What went wrong, as a code that survives storage (the cache keeps it).
    ///
    /// Derived from the ``DecodingError`` case (``init(_:)``); messages are for
    /// people, kinds are for code.
    public enum Kind: String, Sendable, Equatable, CaseIterable, Codable {
        /// Nothing exists at the path.
        case notFound
        /// The file exists but cannot be opened (permission, a folder, a path over `PATH_MAX`).
        case unreadable
        /// Not audio libsndfile can read (unknown format, empty file).
        case notAudio
        /// Audio outside the supported sample rates or channel counts.
        case unsupported
        /// Damaged or cut short: the stream breaks off or cannot be read.
        case damaged
        /// Shorter than one analysis frame.
        case tooShort
        /// Ran past the per-file time limit (never cached).
        case timedOut
        /// Anything else: a folder-scan problem, an invalid request, an unexpected error.
        case other

        /// The kind of `error`: its ``DecodingError`` case, else ``other``.
        public init(_ error: Error) {
            guard let error = error as? AudioDecoding.DecodingError else { self = .other; return }
            switch error {
            case .fileNotFound: self = .notFound
            case .pathTooLong, .isDirectory, .permissionDenied, .notRegularFile: self = .unreadable
            case .emptyFile, .unsupportedFormat: self = .notAudio
            case .unsupportedSampleRate, .unsupportedChannelCount, .drmProtected: self = .unsupported
            case .malformedFile, .readFailed: self = .damaged
            case .tooShort: self = .tooShort
            case .timedOut: self = .timedOut
            case .invalidParameter: self = .other
            }
        }
    }

    /// The file as named.
    public var path: String
    /// What kind of failure.
    public var kind: Kind
    /// The message for people, without the path ("file is empty (0 bytes)").
    public var error: String

    /// A failure with a message of its own.
    ///
    /// - Parameters:
    ///   - path: the file as named.
    ///   - kind: what kind of failure; default ``Kind/other``.
    ///   - error: the message, without the path.
    public init(path: String, kind: Kind = .other, error: String) {
        self.path = path
        self.kind = kind
        self.error = error
    }

    /// A failure from an error whose message names the path first (as
    /// ``DecodingError``'s do); the path is not repeated in ``error``, and
    /// ``kind`` comes from the error's case.
    ///
    /// - Parameters:
    ///   - path: the file as named.
    ///   - error: what the decoder or the analysis threw.
    public init(path: String, error: Error) {
        let message = "\(error)"
        let named = RawPath.display(path) + ": "     // DecodingError names the path as people read it
        self.init(path: path, kind: Kind(error),
                  error: message.hasPrefix(named) ? String(message.dropFirst(named.count)) : message)
    }
}

/// Everything one `analyze` run produced: the tracks and the files that failed.
///
/// Written as JSON or CSV by `AnalysisReportWriter` (target SongAtlas), which
/// also reads its JSON back.
public struct AnalysisReport: Sendable, Equatable {
    /// Analysed tracks, in scan order.
    public var tracks: [TrackAnalysis]
    /// Files that could not be analysed.
    public var failures: [AnalysisFailure]

    /// A report of `tracks` and `failures`.
    public init(tracks: [TrackAnalysis], failures: [AnalysisFailure]) {
        self.tracks = tracks
        self.failures = failures
    }
}
