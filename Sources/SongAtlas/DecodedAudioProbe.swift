import AudioDecoding
import Export

/// The audio check by content: a file libsndfile or FFmpeg can open as audio is audio, whatever its name.
///
/// What ``OutputRules`` asks of the layer that can decode (Export cannot): with
/// it, no output ever replaces a song, even one renamed `report.json`.
public struct DecodedAudioProbe: AudioContentProbe {
    public init() {}

    /// True when `path` opens as audio through ``AudioDecoder`` (libsndfile, else FFmpeg).
    public func isAudio(atPath path: String) -> Bool { (try? AudioDecoder(path: path)) != nil }
}

extension OutputRules {
    /// The rules every SongAtlas command writes by: audio (judged by its content, ``DecodedAudioProbe``)
    /// and read-only files are never replaced; a file SongAtlas did not write only with `replaceForeign`.
    ///
    /// - Parameter replaceForeign: replace files SongAtlas did not write (or that were changed since);
    ///   default false.
    public static func protectingAudio(replaceForeign: Bool = false) -> OutputRules {
        OutputRules(replaceForeign: replaceForeign, audioProbe: DecodedAudioProbe())
    }
}
