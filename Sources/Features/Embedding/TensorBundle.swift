import Foundation

/// The float tensors of a TensorFlow 1 checkpoint (a "tensor bundle"), read
/// without TensorFlow.
///
/// A bundle is two files. `PREFIX.index` is a LevelDB-format sorted table
/// (`tensorflow/core/util/tensor_bundle/tensor_bundle.cc`, LevelDB's
/// `table_format.md`): a 48-byte footer (metaindex and index block handles as
/// varints, zero padding, the magic 0xdb4775248b80fb57 little-endian), an
/// index block whose values are handles of data blocks, and data blocks of
/// prefix-compressed key/value entries followed by a restart array. Every
/// block is followed by a 5-byte trailer (compression type, CRC). The key ""
/// holds the `BundleHeaderProto`; every other key is a tensor name whose
/// value is a `BundleEntryProto` (1 dtype, 2 shape, 3 shard id, 4 offset,
/// 5 size, 6 masked CRC-32C of the bytes). The bytes themselves are in
/// `PREFIX.data-00000-of-00001`, float32 little-endian for `DT_FLOAT` (1).
///
/// Values are read bit for bit; each tensor's CRC is checked.
struct TensorBundle {
    /// One tensor: its shape (TensorFlow order) and its values in row-major order.
    struct Tensor: Equatable, Sendable {
        var shape: [Int]
        var values: [Float]
    }

    /// What went wrong, as one line naming the part of the bundle.
    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// Float tensors by name (other dtypes, such as the step counter, are left out).
    private(set) var tensors: [String: Tensor] = [:]
    /// Every entry name in the index, in table order (including non-float ones).
    private(set) var entryNames: [String] = []

    /// Parses a bundle from the bytes of its two files.
    ///
    /// - Parameters:
    ///   - index: the bytes of `PREFIX.index`.
    ///   - data: the bytes of `PREFIX.data-00000-of-00001` (the single shard).
    ///   - keep: which float tensors to read (and check); default all. The
    ///     others are only listed in ``entryNames``.
    /// - Throws: ``FormatError`` for a bad footer, block, entry, range or CRC.
    /// - Complexity: O(index bytes + bytes of the kept tensors).
    init(index: Data, data: Data, keep: (String) -> Bool = { _ in true }) throws {
        let indexBytes = [UInt8](index)
        let dataBytes = [UInt8](data)
        guard indexBytes.count >= 48 else { throw FormatError(description: "index is \(indexBytes.count) bytes, shorter than a table footer") }
        let footerStart = indexBytes.count - 48
        let magic = indexBytes[(indexBytes.count - 8)...].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard magic == 0xdb47_7524_8b80_fb57 else { throw FormatError(description: "index has no table magic (not a tensor bundle index)") }
        var footer = ByteReader(bytes: indexBytes, position: footerStart, end: indexBytes.count - 8)
        _ = try footer.blockHandle()                // metaindex (unused)
        let indexHandle = try footer.blockHandle()

        for (_, handleValue) in try Self.blockEntries(indexBytes, handle: indexHandle) {
            var handleReader = ByteReader(bytes: handleValue, position: 0, end: handleValue.count)
            let dataHandle = try handleReader.blockHandle()
            for (key, value) in try Self.blockEntries(indexBytes, handle: dataHandle) {
                guard let name = String(bytes: key, encoding: .utf8) else { throw FormatError(description: "entry key is not UTF-8") }
                if name.isEmpty { continue }              // BundleHeaderProto
                entryNames.append(name)
                let entry = try Entry(proto: value, name: name)
                guard entry.dtype == 1, keep(name) else { continue }   // only the wanted DT_FLOAT tensors
                guard entry.shardID == 0 else { throw FormatError(description: "tensor \(name) is in shard \(entry.shardID); only one shard is supported") }
                let count = entry.shape.reduce(1, *)
                guard entry.size == count * 4, entry.offset >= 0, entry.offset + entry.size <= dataBytes.count else {
                    throw FormatError(description: "tensor \(name) (shape \(entry.shape)) has bytes \(entry.offset)..<\(entry.offset + entry.size) outside the data file of \(dataBytes.count) bytes")
                }
                let values: [Float] = dataBytes.withUnsafeBytes { raw in
                    let slice = UnsafeRawBufferPointer(rebasing: raw[entry.offset..<(entry.offset + entry.size)])
                    if let crc = entry.maskedCRC, CRC32C.masked(CRC32C.checksum(slice)) != crc {
                        return []
                    }
                    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                        for index in 0..<count {
                            buffer[index] = Float(bitPattern: UInt32(littleEndian: slice.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
                        }
                        initialized = count
                    }
                }
                guard values.count == count else { throw FormatError(description: "tensor \(name): CRC-32C of its bytes does not match the index") }
                tensors[name] = Tensor(shape: entry.shape, values: values)
            }
        }
    }

    /// The key/value entries of the block `handle` points at, keys unshared.
    private static func blockEntries(_ file: [UInt8], handle: (offset: Int, size: Int)) throws -> [([UInt8], [UInt8])] {
        guard handle.offset >= 0, handle.size >= 4, handle.offset + handle.size + 5 <= file.count else {
            throw FormatError(description: "block at \(handle.offset) of \(handle.size) bytes lies outside the index")
        }
        guard file[handle.offset + handle.size] == 0 else {
            throw FormatError(description: "block at \(handle.offset) is compressed (type \(file[handle.offset + handle.size])); only uncompressed tables are supported")
        }
        let end = handle.offset + handle.size
        let restartCount = Int(ByteReader.uint32(file, at: end - 4))
        let entriesEnd = end - 4 - 4 * restartCount
        guard entriesEnd >= handle.offset else { throw FormatError(description: "block at \(handle.offset) has a bad restart array") }
        var reader = ByteReader(bytes: file, position: handle.offset, end: entriesEnd)
        var entries: [([UInt8], [UInt8])] = []
        var key: [UInt8] = []
        while !reader.isAtEnd {
            let shared = try reader.varint()
            let unshared = try reader.varint()
            let valueLength = try reader.varint()
            guard shared <= key.count else { throw FormatError(description: "block at \(handle.offset): key shares more than the previous key has") }
            key = Array(key[0..<shared]) + (try reader.bytes(unshared))
            entries.append((key, try reader.bytes(valueLength)))
        }
        return entries
    }

    /// The fields of a `BundleEntryProto` that a float tensor needs.
    private struct Entry {
        var dtype = 0
        var shape: [Int] = []
        var shardID = 0
        var offset = 0
        var size = 0
        var maskedCRC: UInt32?

        init(proto: [UInt8], name: String) throws {
            var reader = ByteReader(bytes: proto, position: 0, end: proto.count)
            while !reader.isAtEnd {
                let (field, wireType) = try reader.tag()
                switch (field, wireType) {
                case (1, 0): dtype = try reader.varint()
                case (2, 2):
                    let shapeBytes = try reader.bytes(try reader.varint())
                    shape = try Self.dimensions(shapeBytes)
                case (3, 0): shardID = try reader.varint()
                case (4, 0): offset = try reader.varint()
                case (5, 0): size = try reader.varint()
                case (6, 5): maskedCRC = try reader.fixed32()
                default: try reader.skip(wireType: wireType)
                }
            }
        }

        /// `TensorShapeProto`: repeated field 2 `Dim` messages, each with field 1 `size`.
        private static func dimensions(_ bytes: [UInt8]) throws -> [Int] {
            var reader = ByteReader(bytes: bytes, position: 0, end: bytes.count)
            var dims: [Int] = []
            while !reader.isAtEnd {
                let (field, wireType) = try reader.tag()
                if field == 2 && wireType == 2 {
                    let dimBytes = try reader.bytes(try reader.varint())
                    var dimReader = ByteReader(bytes: dimBytes, position: 0, end: dimBytes.count)
                    var size = 0
                    while !dimReader.isAtEnd {
                        let (dimField, dimWire) = try dimReader.tag()
                        if dimField == 1 && dimWire == 0 { size = try dimReader.varint() } else { try dimReader.skip(wireType: dimWire) }
                    }
                    dims.append(size)
                } else {
                    try reader.skip(wireType: wireType)
                }
            }
            return dims
        }
    }
}

/// Little-endian varints, fixed-width integers and protobuf tags from a byte array.
private struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    var isAtEnd: Bool { position >= end }

    static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    mutating func varint() throws -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end, shift < 64 else { throw TensorBundle.FormatError(description: "truncated or overlong varint at byte \(position)") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard result <= UInt64(Int.max) else { throw TensorBundle.FormatError(description: "varint \(result) out of range") }
        return Int(result)
    }

    mutating func fixed32() throws -> UInt32 {
        guard position + 4 <= end else { throw TensorBundle.FormatError(description: "truncated fixed32 at byte \(position)") }
        defer { position += 4 }
        return Self.uint32(bytes, at: position)
    }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, position + count <= end else { throw TensorBundle.FormatError(description: "\(count) bytes at \(position) run past the end") }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func blockHandle() throws -> (offset: Int, size: Int) {
        (try varint(), try varint())
    }

    mutating func tag() throws -> (field: Int, wireType: Int) {
        let key = try varint()
        return (key >> 3, key & 7)
    }

    mutating func skip(wireType: Int) throws {
        switch wireType {
        case 0: _ = try varint()
        case 1: _ = try bytes(8)
        case 2: _ = try bytes(try varint())
        case 5: _ = try bytes(4)
        default: throw TensorBundle.FormatError(description: "unsupported protobuf wire type \(wireType)")
        }
    }
}
