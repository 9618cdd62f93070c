import AudioDecoding

/// The per-track result of ``FeatureExtractor/summarize(path:decodeOptions:)``.
public struct TrackFeatures: Sendable, Equatable {
    /// Header, tags and (after a full decode) the exact duration.
    public var info: AudioFileInfo
    /// The song summary vector.
    public var summary: SongSummary
    /// The tempo estimate the summary includes.
    public var tempo: TempoEstimate
    /// Seconds of audio analysed (less than the duration for an excerpt).
    public var analyzedSeconds: Double
    /// Where the analysed audio starts, in seconds.
    public var startSeconds: Double
    /// File samples that were NaN or infinite and read as silence.
    public var nonFiniteSampleCount: Int
    /// The learned embeddings, one per network of the ``EmbeddingExtractor`` given (none without one).
    public var embeddings: [SongEmbedding]
    /// The Chromaprint fingerprint, when a ``Fingerprinter`` was given.
    public var fingerprint: AudioFingerprint?
    /// The first of ``embeddings``, when an ``EmbeddingExtractor`` was given.
    public var embedding: SongEmbedding? {
        get { embeddings.first }
        set { embeddings = newValue.map { [$0] } ?? [] }
    }

    /// Bundles one track's results.
    ///
    /// - Parameters:
    ///   - info: the decoder's header and tags.
    ///   - summary: the song summary.
    ///   - tempo: the tempo estimate behind the summary's rhythm dimensions.
    ///   - analyzedSeconds: seconds of audio analysed, ≥ 0.
    ///   - startSeconds: where the analysed audio starts, in seconds; default 0.
    ///   - nonFiniteSampleCount: damaged samples read as silence; default 0.
    ///   - embedding: the learned embedding, or nil; default nil.
    public init(info: AudioFileInfo, summary: SongSummary, tempo: TempoEstimate, analyzedSeconds: Double,
                startSeconds: Double = 0, nonFiniteSampleCount: Int = 0, embedding: SongEmbedding? = nil) {
        self.info = info
        self.summary = summary
        self.tempo = tempo
        self.analyzedSeconds = analyzedSeconds
        self.startSeconds = startSeconds
        self.nonFiniteSampleCount = nonFiniteSampleCount
        self.embeddings = embedding.map { [$0] } ?? []
    }
}
