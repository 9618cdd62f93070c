import Foundation

/// What a file says about itself, read from its header and tags.
public struct AudioFileInfo: Codable, Equatable, Sendable {
    /// Container and encoding, e.g. `"FLAC/PCM_16"`, `"OGG/VORBIS"`, `"MPEG/MPEG_LAYER_III"`.
    public var format: String
    /// The file's own sample rate in Hz, before resampling.
    public var sampleRate: Int
    /// The file's channel count, before downmixing.
    public var channelCount: Int
    /// Frames per channel as the header states them. For Vorbis, Opus and MP3
    /// libsndfile only estimates this; decoding reads to the end of the file
    /// regardless.
    public var declaredFrameCount: Int
    /// Duration in seconds. After a full decode this is the decoded length;
    /// before it, the header's estimate.
    public var durationSeconds: Double
    /// Tags, where the container carries them.
    public var title: String?
    public var artist: String?
    public var album: String?
    /// The track's number on its disc, and the disc's in a set, where the tags give them.
    public var trackNumber: Int?
    public var discNumber: Int?
    /// The genre tag as the file spells it, where the tags give one.
    public var genre: String?
    /// The library that decoded the file (FFmpeg when libsndfile could not, or broke off).
    public var decoder: AudioDecoderKind

    public init(
        format: String, sampleRate: Int, channelCount: Int, declaredFrameCount: Int,
        durationSeconds: Double, title: String? = nil, artist: String? = nil, album: String? = nil,
        trackNumber: Int? = nil, discNumber: Int? = nil, decoder: AudioDecoderKind = .libsndfile,
        genre: String? = nil
    ) {
        self.genre = genre
        self.trackNumber = trackNumber
        self.discNumber = discNumber
        self.decoder = decoder
        self.format = format
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.declaredFrameCount = declaredFrameCount
        self.durationSeconds = durationSeconds
        self.title = title
        self.artist = artist
        self.album = album
    }
}

extension AudioFileInfo {
    /// The header of a file and its tags, as a decoder read them.
    init(format: String, sampleRate: Int, channelCount: Int, declaredFrameCount: Int, durationSeconds: Double,
         tags: AudioTags, decoder: AudioDecoderKind) {
        self.init(format: format, sampleRate: sampleRate, channelCount: channelCount,
                  declaredFrameCount: declaredFrameCount, durationSeconds: durationSeconds, title: tags.title,
                  artist: tags.artist, album: tags.album, trackNumber: tags.trackNumber, discNumber: tags.discNumber,
                  decoder: decoder, genre: tags.genre)
    }
}

extension AudioFileInfo {
    /// The length the header claims: ``declaredFrameCount`` / ``sampleRate`` seconds.
    public var declaredDurationSeconds: Double {
        sampleRate > 0 ? Double(declaredFrameCount) / Double(sampleRate) : 0
    }

    /// A note for a header that lies about the length, once decoding has measured it:
    /// `header says 3116529 s, decoded 30.0 s` when ``declaredDurationSeconds`` and
    /// ``durationSeconds`` differ by more than 1 s and by more than 1 %; nil otherwise,
    /// and for a header that declares no length.
    public var durationNote: String? {
        let declared = declaredDurationSeconds, decoded = durationSeconds
        guard declaredFrameCount > 0, declared.isFinite, decoded.isFinite,
              abs(declared - decoded) > max(1, 0.01 * decoded) else { return nil }
        return "header says " + String(format: "%.0f", declared) + " s, decoded " + String(format: "%.1f", decoded) + " s"
    }
}
