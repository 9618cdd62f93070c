/// The text of a cue sheet from its bytes, and the encoding it was read in.
///
/// Sheets carry no declaration of their encoding, and many were written on
/// Windows in its ANSI code page. The rule, first match wins:
/// 1. a UTF-8 byte order mark (`EF BB BF`): UTF-8, the mark dropped; bytes
///    that are not UTF-8 after it are repaired to U+FFFD;
/// 2. a UTF-16 byte order mark (`FF FE` or `FE FF`): UTF-16, little or big endian;
/// 3. bytes that are valid UTF-8 as a whole: UTF-8 (plain ASCII is read here);
/// 4. bytes that are all defined in Windows-1252 (all but `81 8D 8F 90 9D`):
///    Windows-1252, so `93`/`94` are curly quotes and `80` the euro sign;
/// 5. otherwise Latin-1 (ISO 8859-1), which gives every byte a character.
///
/// A sheet that is not text (a NUL byte, or a C0 control character other
/// than tab, line feed, vertical tab, form feed, carriage return and the DOS
/// end-of-file mark `1A`) is refused before any of this: it is a binary file
/// named `.cue`.
public enum CueSheetText {
    /// The encoding a sheet's text was read in.
    public enum Encoding: String, Sendable, Equatable, Codable {
        case utf8 = "UTF-8"
        case utf8WithBOM = "UTF-8 with BOM"
        case utf16LittleEndian = "UTF-16LE"
        case utf16BigEndian = "UTF-16BE"
        case windows1252 = "Windows-1252"
        case latin1 = "Latin-1"
    }

    /// The text of `bytes` and the encoding chosen by the rule above.
    ///
    /// - Returns: nil when the bytes are not text (see the type's rule).
    /// - Complexity: O(n) in the byte count.
    public static func decode(_ bytes: [UInt8]) -> (text: String, encoding: Encoding)? {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let littleEndian = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 2
            while index + 1 < bytes.count {
                let (low, high) = littleEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
                units.append(UInt16(high) << 8 | UInt16(low))
                index += 2
            }
            let text = String(decoding: units, as: UTF16.self)
            guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && isBinaryByte(UInt8($0.value)) }) else {
                return nil
            }
            return (text, littleEndian ? .utf16LittleEndian : .utf16BigEndian)
        }
        guard !bytes.contains(where: isBinaryByte) else { return nil }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: bytes.dropFirst(3), as: UTF8.self), .utf8WithBOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        if !bytes.contains(where: { undefinedInWindows1252.contains($0) }) {
            let scalars = bytes.map { byte -> Unicode.Scalar in
                if (0x80...0x9F).contains(byte) { return Unicode.Scalar(windows1252High[Int(byte) - 0x80])! }
                return Unicode.Scalar(byte)
            }
            return (String(String.UnicodeScalarView(scalars)), .windows1252)
        }
        return (String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })), .latin1)
    }

    /// A byte that never occurs in a text sheet: NUL and the C0 controls
    /// other than tab, line feed, vertical tab, form feed, carriage return and `1A`.
    static func isBinaryByte(_ byte: UInt8) -> Bool {
        byte < 0x20 && ![0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A].contains(byte)
    }

    /// The five bytes Windows-1252 leaves undefined.
    static let undefinedInWindows1252: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// Windows-1252's characters for bytes 80–9F (the undefined ones kept as their C1 controls).
    static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
