import Foundation

/// The one JSON style of every document SongAtlas writes, and the one way of
/// reading such a document back.
///
/// JSON has no literal for NaN or infinity, so non-finite numbers are written
/// as the strings ``nonFiniteStrings`` (`"nan"`, `"inf"`, `"-inf"`). Every
/// reader of SongAtlas JSON (`evaluate`, segmentation files) decodes with
/// ``decoder()``, which turns those strings back into the same values, so a
/// document read back holds what was written, NaN included. A reader that
/// needs finite values checks them after decoding and names the value.
public enum JSONOutput {
    /// The strings that stand for positive infinity, negative infinity and NaN.
    public static let nonFiniteStrings = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// An encoder with sorted keys, unescaped slashes and non-finite numbers as
    /// the strings ``nonFiniteStrings``.
    ///
    /// - Parameter pretty: indent (for documents people read); false for large data files.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        let strings = nonFiniteStrings
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: strings.positiveInfinity, negativeInfinity: strings.negativeInfinity, nan: strings.nan)
        return encoder
    }

    /// A decoder that reads what ``encoder(pretty:)`` writes, non-finite strings included.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        let strings = nonFiniteStrings
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: strings.positiveInfinity, negativeInfinity: strings.negativeInfinity, nan: strings.nan)
        return decoder
    }

    /// A decoding error in one line: what is wrong and where (`playlists[0].tracks[2].path: …`).
    public static func problem(_ error: Error) -> String {
        func place(_ path: [CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?:
            return "missing \(place(context.codingPath + [key]))"
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?, let .dataCorrupted(context)?:
            let where_ = place(context.codingPath)
            return (where_.isEmpty ? "" : where_ + ": ") + context.debugDescription
        default:
            return error.localizedDescription
        }
    }
}
