import Foundation

/// The tags a decoder reads from a file's metadata.
public struct AudioTags: Codable, Equatable, Sendable {
    public var title: String?
    public var artist: String?
    public var album: String?
    /// The track's number on its disc ("3" of "3/12").
    public var trackNumber: Int?
    /// The disc's number in a set ("1" of "1/2").
    public var discNumber: Int?
    /// The text of an embedded cue sheet: the `CUESHEET` key FFmpeg reports
    /// (a FLAC or Ogg Vorbis comment, an APEv2 item in Monkey's Audio or
    /// WavPack), as the file holds it; parsing it is the Library's
    /// `CueSheet.embedded(text:audioPath:)`. libsndfile reports none, so read
    /// it with ``embeddedCueSheet(path:)``.
    public var cueSheet: String?
    /// The genre tag as the file spells it ("Hip Hop", "rock"): libsndfile's `SF_STR_GENRE`, FFmpeg's
    /// `genre` metadata. Not normalised here; playlist names compare genres by their words.
    public var genre: String?

    public init(title: String? = nil, artist: String? = nil, album: String? = nil,
                trackNumber: Int? = nil, discNumber: Int? = nil, cueSheet: String? = nil, genre: String? = nil) {
        self.genre = genre
        self.title = title
        self.artist = artist
        self.album = album
        self.trackNumber = trackNumber
        self.discNumber = discNumber
        self.cueSheet = cueSheet
    }

    /// The cue sheet `path` embeds, without decoding any audio.
    ///
    /// A FLAC file (`fLaC`, after an ID3v2 tag if one is prepended) is read
    /// directly: its `VORBIS_COMMENT` block's `CUESHEET` comment (key in any
    /// case), found with ``FLACVorbisComments``. Any other file is opened with
    /// FFmpeg and its `cuesheet` metadata key taken (Vorbis comments in Ogg,
    /// APEv2 in Monkey's Audio and WavPack). The FLAC format's binary
    /// `CUESHEET` metadata block is not read.
    ///
    /// - Returns: the sheet's text, or nil when the file embeds none.
    /// - Throws: ``DecodingError`` when the file cannot be opened, or is
    ///   neither FLAC nor a format FFmpeg recognises.
    public static func embeddedCueSheet(path: String) throws(DecodingError) -> String? {
        if let comments = try FLACVorbisComments.read(path: path) {
            return comments.first { $0.key.uppercased() == "CUESHEET" }.flatMap { cleaned($0.value) == nil ? nil : $0.value }
        }
        return try FFmpegFile(path: path).tags.cueSheet
    }

    /// The leading number of a tag such as `"3"`, `"03/12"` or `" 7 of 9"`; nil when there is none.
    static func number(_ text: String?) -> Int? {
        guard let text else { return nil }
        let digits = text.drop { $0 == " " }.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9, let value = Int(digits), value > 0 else { return nil }
        return value
    }

    /// Trims a tag's whitespace; nil when nothing is left.
    static func cleaned(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
            return nil
        }
        return trimmed
    }
}
