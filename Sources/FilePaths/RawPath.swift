/// File paths whose bytes are not all UTF-8, carried losslessly in a `String`.
///
/// Linux names files with bytes, not text: a Latin-1 rip from an old Windows
/// machine has names like `Caf\xE9.flac`, which no Swift `String` can hold as
/// such. SongAtlas keeps `String` as its path type everywhere and maps each
/// byte that is not part of valid UTF-8 to one private-use scalar,
/// U+10FE00 + byte (in Supplementary Private Use Area-B), the way Python's
/// `surrogateescape` maps it to a lone surrogate (which Swift cannot hold).
/// To keep the mapping one-to-one, a name that really contains one of those
/// 256 scalars has each of its four UTF-8 bytes escaped the same way.
///
/// So ``string(_:)`` and ``bytes(_:)`` are inverse: any byte string (without
/// NUL) survives the trip through scanner, decoder, cache and outputs, and a
/// UTF-8 name is the `String` it always was. Only the code that hands a path
/// to the system (`open`, `stat`, `opendir`, FFmpeg) converts it back
/// (``withCString(_:_:)``), and only text for people or other programs
/// renders it: ``display(_:)`` writes `\xNN`, ``percentEncoded(_:)`` `%NN`.
public enum RawPath {
    /// The first of the 256 scalars that stand for single bytes.
    static let escapeBase: UInt32 = 0x10FE00

    /// True when `scalar` stands for a byte.
    static func isEscape(_ scalar: Unicode.Scalar) -> Bool { scalar.value & ~0xFF == escapeBase }

    /// The path for `bytes` as the system gives them (from `readdir`, say).
    ///
    /// - Parameter bytes: a path or name, without its terminating NUL.
    /// - Returns: the same text for valid UTF-8 without escape scalars;
    ///   otherwise each byte outside valid UTF-8 (and each byte of an
    ///   escape scalar) as its escape scalar.
    /// - Complexity: O(n).
    public static func string<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let array = Array(bytes)
        if let text = String(validating: array, as: UTF8.self), !text.unicodeScalars.contains(where: isEscape) {
            return text
        }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < array.count {
            let length = validSequenceLength(array, at: index)
            if length > 0, let scalar = String(validating: array[index..<index + length], as: UTF8.self)?
                .unicodeScalars.first, !isEscape(scalar) {
                scalars.append(scalar)
                index += length
            } else {
                let count = max(length, 1)
                for byte in array[index..<index + count] {
                    scalars.append(Unicode.Scalar(escapeBase + UInt32(byte))!)
                }
                index += count
            }
        }
        return String(scalars)
    }

    /// The bytes `path` stands for: its UTF-8, with each escape scalar back as its byte.
    ///
    /// - Complexity: O(n).
    public static func bytes(_ path: String) -> [UInt8] {
        guard path.unicodeScalars.contains(where: isEscape) else { return Array(path.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if isEscape(scalar) {
                bytes.append(UInt8(scalar.value & 0xFF))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Calls `body` with `path` as the NUL-terminated bytes the system takes.
    public static func withCString<Result>(
        _ path: String, _ body: (UnsafePointer<CChar>) throws -> Result
    ) rethrows -> Result {
        guard path.unicodeScalars.contains(where: isEscape) else { return try path.withCString(body) }
        let terminated = bytes(path).map { CChar(bitPattern: $0) } + [0]
        return try terminated.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// True when `path` is plain UTF-8 text (no escaped bytes): what every
    /// program reads as it is.
    public static func isText(_ path: String) -> Bool { !path.unicodeScalars.contains(where: isEscape) }

    /// `path` for people: each escaped byte as `\xNN` (upper-case hex), as
    /// `ls --quoting-style=escape` and Python show them. Not reversible, and
    /// not meant to be; ``percentEncoded(_:)`` and the path itself are.
    public static func display(_ path: String) -> String {
        guard !isText(path) else { return path }
        var text = ""
        for scalar in path.unicodeScalars {
            if isEscape(scalar) {
                let byte = UInt8(scalar.value & 0xFF)
                text += "\\x" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    /// `path`'s bytes percent-encoded per RFC 3986 (every byte outside the
    /// unreserved set `A-Z a-z 0-9 - . _ ~` and `/` as `%XX`), for `file://`
    /// URIs: lossless, and plain ASCII.
    public static func percentEncoded(_ path: String) -> String {
        var text = ""
        for byte in bytes(path) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                text += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return text
    }

    /// The length of the valid UTF-8 sequence starting at `index` (1–4), or 0 when there is none.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        for length in 1...4 where index + length <= bytes.count {
            if String(validating: bytes[index..<index + length], as: UTF8.self) != nil { return length }
        }
        return 0
    }
}
