/// CRC-32C (Castagnoli), the checksum TensorFlow's tensor bundles and
/// SongAtlas's weights files use.
///
/// Reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF,
/// as in RFC 3720 §B.4 and TensorFlow's `tsl/lib/hash/crc32c`. The check
/// value of the nine ASCII digits "123456789" is 0xE3069283.
enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? (value >> 1) ^ 0x82F6_3B78 : value >> 1 }
        return value
    }

    /// The checksum of `bytes`.
    ///
    /// - Complexity: O(`bytes.count`), one table look-up per byte.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// TensorFlow's masked form of a CRC stored next to the data it covers
    /// (`crc32c::Mask`): rotate right by 15 bits and add 0xA282EAD8.
    static func masked(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
