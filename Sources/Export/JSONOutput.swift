import Foundation

/// The one JSON style of every document SongAtlas writes.
public enum JSONOutput {
    /// An encoder with sorted keys, unescaped slashes and non-finite numbers as
    /// the strings `"nan"`, `"inf"` and `"-inf"`.
    ///
    /// - Parameter pretty: indent (for documents people read); false for large data files.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}
