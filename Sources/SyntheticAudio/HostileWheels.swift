import Foundation

/// Things given to `songatlas model install` that are not the musicnn wheel:
/// a folder, a text file, a FIFO, and deflate bombs (zip files of a few MB whose
/// `musicnn/configuration.py` inflates to more than 1 GiB), one declaring its
/// true size and one whose zip headers lie (declare 1,000 bytes).
///
/// Written by hand (zip format: PKWARE APPNOTE 6.3.x, sections 4.3.7, 4.3.12,
/// 4.3.16; deflate: RFC 1951, fixed Huffman codes of section 3.2.6), so that no
/// compressor has to inflate a gigabyte to make one.
public enum HostileWheels {
    /// One case: the file's name, and a phrase `model install` must print for it.
    public struct Entry: Sendable {
        public var name: String
        public var expectedMessage: String
    }

    /// Copies of the 258-byte match in the bomb: 4,200,000 × 258 + 1 bytes ≈ 1.08 GB (> 1 GiB).
    public static let bombRepeats = 4_200_000

    /// Writes every case into `folder` (created if needed).
    ///
    /// - Returns: the cases written.
    /// - Throws: when a file cannot be written.
    @discardableResult
    public static func write(in folder: String) throws -> [Entry] {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func path(_ name: String) -> String { folder + "/" + name }
        var entries: [Entry] = []
        try manager.createDirectory(atPath: path("folder.whl"), withIntermediateDirectories: true)
        entries.append(Entry(name: "folder.whl", expectedMessage: "it is a folder"))
        try "this is not a wheel\n".write(toFile: path("text.whl"), atomically: true, encoding: .utf8)
        entries.append(Entry(name: "text.whl", expectedMessage: "not a zip archive"))
        if mkfifo(path("fifo.whl"), 0o644) == 0 || errno == EEXIST {
            entries.append(Entry(name: "fifo.whl", expectedMessage: "it is a FIFO"))
        }
        let bomb = deflateBomb(repeats: bombRepeats)
        let inflated = UInt32(truncatingIfNeeded: 1 + 258 * bombRepeats)
        try zip(member: "musicnn/configuration.py", deflated: bomb, declaredSize: inflated)
            .write(to: URL(fileURLWithPath: path("bomb.whl")))
        entries.append(Entry(name: "bomb.whl", expectedMessage: "unpacks to more than"))
        try zip(member: "musicnn/configuration.py", deflated: bomb, declaredSize: 1000)
            .write(to: URL(fileURLWithPath: path("lying-bomb.whl")))
        entries.append(Entry(name: "lying-bomb.whl", expectedMessage: "unpacks to more than"))
        return entries
    }

    /// A raw deflate stream (one final block, fixed Huffman codes) of one zero
    /// byte followed by `repeats` copies of <length 258, distance 1>: it inflates
    /// to 1 + 258 × `repeats` zero bytes from 13 bits per copy.
    public static func deflateBomb(repeats: Int) -> Data {
        var output = [UInt8]()
        output.reserveCapacity(repeats * 13 / 8 + 16)
        var accumulator: UInt64 = 0
        var bitCount = 0
        // Bits go in least significant first; Huffman codes are given here already reversed.
        func put(_ value: UInt64, _ count: Int) {
            accumulator |= value << UInt64(bitCount)
            bitCount += count
            while bitCount >= 8 {
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bitCount -= 8
            }
        }
        put(0b011, 3)          // BFINAL = 1, BTYPE = 01 (fixed codes)
        put(0x0C, 8)           // literal 0: code 00110000
        for _ in 0..<repeats {
            put(0xA3, 13)      // length 258: code 11000101; distance 1: code 00000
        }
        put(0, 7)              // end of block: code 0000000
        if bitCount > 0 { output.append(UInt8(truncatingIfNeeded: accumulator)) }
        return Data(output)
    }

    /// A zip file holding one deflated member whose headers declare `declaredSize`
    /// uncompressed bytes (and a CRC of 0: the member is never meant to be read whole).
    public static func zip(member: String, deflated: Data, declaredSize: UInt32) -> Data {
        let name = Data(member.utf8)
        var data = Data()
        func u16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { data.append(contentsOf: $0) } }
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let compressed = UInt32(deflated.count)
        // Local file header.
        u32(0x0403_4B50); u16(20); u16(0); u16(8); u16(0); u16(0x21)
        u32(0); u32(compressed); u32(declaredSize); u16(name.count); u16(0)
        data.append(name)
        data.append(deflated)
        let directoryOffset = UInt32(data.count)
        // Central directory header.
        u32(0x0201_4B50); u16(20); u16(20); u16(0); u16(8); u16(0); u16(0x21)
        u32(0); u32(compressed); u32(declaredSize); u16(name.count); u16(0); u16(0); u16(0); u16(0); u32(0); u32(0)
        data.append(name)
        let directorySize = UInt32(data.count) - directoryOffset
        // End of central directory.
        u32(0x0605_4B50); u16(0); u16(0); u16(1); u16(1); u32(directorySize); u32(directoryOffset); u16(0)
        return data
    }
}
