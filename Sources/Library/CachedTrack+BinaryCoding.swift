import Foundation

/// Builds a binary cache record (``BinaryRecordFormat``): fields appended in order, then the header with
/// the payload's length and checksum.
struct BinaryRecordWriter {
    private var payload: [UInt8] = []

    init() { payload.reserveCapacity(1024) }

    /// An integer field: 8 bytes, Int64.
    mutating func integer(_ tag: UInt8, _ value: Int) {
        start(tag, length: 8)
        append(UInt64(bitPattern: Int64(value)))
    }

    /// A real field: 8 bytes, the IEEE 754 double's bits.
    mutating func real(_ tag: UInt8, _ value: Double) {
        start(tag, length: 8)
        append(value.bitPattern)
    }

    /// A text field: its UTF-8 bytes.
    mutating func text(_ tag: UInt8, _ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            start(tag, length: utf8.count)
            payload.append(contentsOf: utf8)
        }
    }

    /// A field of bytes copied as they are (little-endian values already, as ``CachedTrack`` keeps them).
    mutating func bytes(_ tag: UInt8, _ value: Data) {
        start(tag, length: value.count)
        payload.append(contentsOf: value)
    }

    /// A group field: the fields `fill` writes, as one field's bytes.
    mutating func group(_ tag: UInt8, _ fill: (inout BinaryRecordWriter) -> Void) {
        var inner = BinaryRecordWriter()
        fill(&inner)
        start(tag, length: inner.payload.count)
        payload.append(contentsOf: inner.payload)
    }

    /// The whole record: header (magic, version, length, checksum), then the payload.
    func record() -> Data {
        var header = BinaryRecordFormat.magic
        withUnsafeBytes(of: BinaryRecordFormat.version.littleEndian) { header.append(contentsOf: $0) }
        header.append(contentsOf: [0, 0])
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { header.append(contentsOf: $0) }
        let checksum = payload.withUnsafeBytes { CRC32.checksum($0, continuing: CRC32.checksum(header)) }
        withUnsafeBytes(of: checksum.littleEndian) { header.append(contentsOf: $0) }
        var record = Data(capacity: header.count + payload.count)
        record.append(contentsOf: header)
        record.append(contentsOf: payload)
        return record
    }

    private mutating func start(_ tag: UInt8, length: Int) {
        payload.append(tag)
        withUnsafeBytes(of: UInt32(length).littleEndian) { payload.append(contentsOf: $0) }
    }

    private mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { payload.append(contentsOf: $0) }
    }
}

/// Walks the fields of a binary cache record's payload (or of one group in it), checking every length.
///
/// Reads from memory the caller keeps alive (``CachedTrack/decodeBinary(_:)`` holds the record's bytes).
struct BinaryRecordReader {
    /// One field: its tag and bytes.
    struct Field {
        var tag: UInt8
        var bytes: UnsafeRawBufferPointer

        /// The field as an integer (8 bytes, Int64).
        func integer() throws -> Int {
            guard bytes.count == 8 else { throw lengthError(8) }
            return Int(Int64(littleEndian: bytes.loadUnaligned(as: Int64.self)))
        }

        /// The field as a real (8 bytes, IEEE 754 double).
        func real() throws -> Double {
            guard bytes.count == 8 else { throw lengthError(8) }
            return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
        }

        /// The field as UTF-8 text.
        func text() throws -> String {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CachedRecordError("field \(tag) of the binary record is not UTF-8 text")
            }
            return text
        }

        /// The field's bytes, copied in one piece.
        func data() -> Data { Data(bytes) }

        private func lengthError(_ expected: Int) -> CachedRecordError {
            CachedRecordError("field \(tag) of the binary record has \(bytes.count) bytes, it needs \(expected)")
        }
    }

    /// Tags met so far in one group, to refuse a field given twice and find one missing.
    struct TagSet {
        private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        /// Adds `tag`; throws when it was there already.
        mutating func insert(_ tag: UInt8, in group: String) throws {
            let bit = UInt64(1) << UInt64(tag % 64)
            let present: Bool
            switch tag / 64 {
            case 0: present = bits.0 & bit != 0; bits.0 |= bit
            case 1: present = bits.1 & bit != 0; bits.1 |= bit
            case 2: present = bits.2 & bit != 0; bits.2 |= bit
            default: present = bits.3 & bit != 0; bits.3 |= bit
            }
            if present { throw CachedRecordError("field \(tag) appears twice in \(group)") }
        }

        /// Whether `tag` was met.
        func contains(_ tag: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(tag % 64)
            switch tag / 64 {
            case 0: return bits.0 & bit != 0
            case 1: return bits.1 & bit != 0
            case 2: return bits.2 & bit != 0
            default: return bits.3 & bit != 0
            }
        }

        /// Throws naming the first of `tags` not met.
        func require(_ tags: [UInt8], in group: String) throws {
            if let missing = tags.first(where: { !contains($0) }) {
                throw CachedRecordError("\(group) has no field \(missing)")
            }
        }
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The next field, or nil at the end.
    ///
    /// - Throws: ``CachedRecordError`` when a field's tag, length or bytes run past the end.
    mutating func next() throws -> Field? {
        guard offset < bytes.count else { return nil }
        guard bytes.count - offset >= 5 else {
            throw CachedRecordError("the binary record ends inside a field's tag and length (offset \(offset))")
        }
        let tag = bytes[offset]
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 1, as: UInt32.self)))
        let start = offset + 5
        guard length <= bytes.count - start else {
            throw CachedRecordError("field \(tag) of the binary record says \(length) bytes, only \(bytes.count - start) are left")
        }
        offset = start + length
        return Field(tag: tag, bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
    }
}
