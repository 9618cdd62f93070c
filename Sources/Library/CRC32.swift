/// The CRC-32 of IEEE 802.3, as zlib's `crc32` and Python's `zlib.crc32` compute it.
///
/// Reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF; the check value of the
/// nine bytes "123456789" is 0xCBF43926. Computed eight bytes at a time with eight tables
/// ("slicing-by-8", Intel's method as in zlib's `crc32_little` braids), about 1–2 GB/s on one core, so that
/// checking every cache record costs little beside reading it.
enum CRC32 {
    /// The checksum of `bytes`, continuing from `crc` (the checksum of the bytes before them; 0 to start).
    ///
    /// - Parameters:
    ///   - bytes: the data.
    ///   - crc: a previous result to continue from; default 0 (no bytes before).
    /// - Returns: the CRC-32 of everything so far.
    /// - Complexity: O(n).
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var value = ~crc
        var count = bytes.count
        guard var pointer = bytes.baseAddress else { return crc }
        table.withUnsafeBufferPointer { table in
            while count >= 8 {
                let low = UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)) ^ value
                let high = UInt32(littleEndian: pointer.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                value = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                pointer += 8
                count -= 8
            }
            while count > 0 {
                value = table[Int((value ^ UInt32(pointer.load(as: UInt8.self))) & 0xFF)] ^ (value >> 8)
                pointer += 1
                count -= 1
            }
        }
        return ~value
    }

    /// The checksum of `bytes` (see ``checksum(_:continuing:)-(UnsafeRawBufferPointer,_)``).
    static func checksum(_ bytes: some Sequence<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0), continuing: crc) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// Eight tables of 256 entries: table 0 is the byte-at-a-time table, table k the CRC of a byte followed by k zero bytes.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var value = UInt32(byte)
            for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
            table[byte] = value
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = table[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return table
    }()
}
