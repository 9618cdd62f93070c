import Foundation

/// SongAtlas's weights file: one musicnn model's tensors with their names,
/// shapes, tag list, provenance and licence, in one checksummed file.
///
/// Layout (all integers little-endian), version 1:
///
/// | bytes | content |
/// |---|---|
/// | 0..<8 | magic `SAWEIGHT` (ASCII) |
/// | 8..<12 | format version, UInt32 (1) |
/// | 12..<16 | header length `H` in bytes, UInt32 |
/// | 16..<24 | tensor data length `D` in bytes, UInt64 |
/// | 24..<24+H | header: UTF-8 JSON, see ``Header`` |
/// | … | zero padding up to the next multiple of 64: the data offset `O` |
/// | O..<O+D | every tensor's float32 values, row-major, at the header's offsets (from `O`) |
/// | O+D..<O+D+4 | CRC-32C (Castagnoli) of every byte before it, UInt32 |
/// | O+D+4..<O+D+8 | end marker `SAWE` (ASCII) |
///
/// The JSON header holds `format` ("songatlas-weights"), `model`
/// (e.g. "musicnn-mtt"), `tags` (in output-unit order), `source` (package,
/// version and checkpoint path the tensors were read from), `licence` (the
/// ISC licence notice of musicnn, which must accompany the weights) and
/// `tensors` (name, shape, offset in bytes from `O`, count of floats, and the
/// checkpoint's masked CRC-32C of the tensor's bytes).
///
/// The file is read whole (about 3.2 MB) and checked in this order: magic
/// (foreign file), length (truncated), checksum (damaged), header and
/// tensor layout (foreign file).
enum WeightsFile {
    static let magic = Array("SAWEIGHT".utf8)
    static let endMarker = Array("SAWE".utf8)
    static let formatVersion: UInt32 = 1
    static let fixedHeaderSize = 24
    static let alignment = 64

    /// The JSON header.
    struct Header: Codable, Equatable {
        struct Source: Codable, Equatable {
            var package: String
            var version: String
            var checkpoint: String
        }
        struct TensorEntry: Codable, Equatable {
            var name: String
            var shape: [Int]
            var offset: Int
            var count: Int
        }
        var format: String
        var model: String
        var tags: [String]
        var source: Source
        var licence: String
        var tensors: [TensorEntry]
    }

    /// The musicnn release the weights come from.
    static let source = (package: "musicnn", version: "0.1.0")

    /// The bytes of a weights file holding `weights`.
    ///
    /// - Complexity: O(parameters).
    static func encode(_ weights: MusicnnWeights) -> Data {
        var entries: [Header.TensorEntry] = []
        var offset = 0
        for (name, shape) in MusicnnWeights.layout {
            let count = shape.reduce(1, *)
            entries.append(.init(name: name, shape: shape, offset: offset, count: count))
            offset += 4 * count
        }
        let header = Header(
            format: "songatlas-weights", model: weights.model.identifier, tags: weights.model.tags,
            source: .init(package: source.package, version: source.version,
                          checkpoint: "musicnn/\(weights.model.rawValue.uppercased())_musicnn/"),
            licence: weights.licence, tensors: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let json = try! encoder.encode(header)   // plain strings and integers always encode
        let dataOffset = (fixedHeaderSize + json.count + alignment - 1) / alignment * alignment

        var bytes = [UInt8]()
        bytes.reserveCapacity(dataOffset + offset + 8)
        bytes += magic
        appendLittleEndian(formatVersion, to: &bytes)
        appendLittleEndian(UInt32(json.count), to: &bytes)
        appendLittleEndian(UInt64(offset), to: &bytes)
        bytes += json
        bytes += repeatElement(0, count: dataOffset - bytes.count)
        for (name, _) in MusicnnWeights.layout {
            for value in weights.tensors[name]!.values { appendLittleEndian(value.bitPattern, to: &bytes) }
        }
        let crc = bytes.withUnsafeBytes { CRC32C.checksum($0) }
        appendLittleEndian(crc, to: &bytes)
        bytes += endMarker
        return Data(bytes)
    }

    /// Whether `bytes` starts like a SongAtlas weights file (any version).
    static func hasMagic(_ bytes: Data) -> Bool {
        bytes.count >= magic.count && Array(bytes.prefix(magic.count)) == magic
    }

    /// Decodes and checks a weights file's bytes.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - model: the model the file must hold.
    ///   - file: the file's path, for messages.
    /// - Throws: ``ModelError`` `.foreignFile`, `.truncated` or `.checksumMismatch`.
    /// - Complexity: O(file size).
    static func decode(_ data: Data, model: MusicnnModel, file: String) throws(ModelError) -> MusicnnWeights {
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count else {
            if !bytes.isEmpty && Array(magic.prefix(bytes.count)) == bytes {
                throw .truncated(file: file, bytes: bytes.count, expectedBytes: fixedHeaderSize)
            }
            throw .foreignFile(file: file, reason: bytes.isEmpty ? "it is empty" : "no SAWEIGHT magic")
        }
        guard Array(bytes[0..<magic.count]) == magic else { throw .foreignFile(file: file, reason: "no SAWEIGHT magic") }
        guard bytes.count >= fixedHeaderSize else {
            throw .truncated(file: file, bytes: bytes.count, expectedBytes: fixedHeaderSize)
        }
        let version = UInt32(littleEndianBytes: bytes, at: 8)
        guard version == formatVersion else {
            throw .foreignFile(file: file, reason: "format version \(version); this SongAtlas reads version \(formatVersion)")
        }
        let headerLength = Int(UInt32(littleEndianBytes: bytes, at: 12))
        let dataLength64 = UInt64(UInt32(littleEndianBytes: bytes, at: 16)) | UInt64(UInt32(littleEndianBytes: bytes, at: 20)) << 32
        guard dataLength64 < 1 << 40 else { throw .foreignFile(file: file, reason: "absurd data length \(dataLength64)") }
        let dataLength = Int(dataLength64)
        let dataOffset = (fixedHeaderSize + headerLength + alignment - 1) / alignment * alignment
        let expected = dataOffset + dataLength + 8
        guard bytes.count >= expected else { throw .truncated(file: file, bytes: bytes.count, expectedBytes: expected) }
        guard bytes.count == expected else {
            throw .foreignFile(file: file, reason: "\(bytes.count - expected) bytes after the end marker")
        }
        guard Array(bytes[(expected - 4)...]) == endMarker else { throw .truncated(file: file, bytes: bytes.count, expectedBytes: expected) }
        let stored = UInt32(littleEndianBytes: bytes, at: expected - 8)
        let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(expected - 8)])) }
        guard stored == computed else { throw .checksumMismatch(file: file) }

        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[fixedHeaderSize..<(fixedHeaderSize + headerLength)]))
        } catch {
            throw .foreignFile(file: file, reason: "its header is not valid JSON")
        }
        guard header.format == "songatlas-weights" else { throw .foreignFile(file: file, reason: "format \"\(header.format)\"") }
        guard header.model == model.identifier else {
            throw .foreignFile(file: file, reason: "it holds \(header.model), not \(model.identifier)")
        }
        guard header.tags == model.tags else { throw .foreignFile(file: file, reason: "its tag list differs from \(model.identifier)'s") }
        var tensors: [String: MusicnnWeights.Tensor] = [:]
        for entry in header.tensors {
            guard entry.count >= 0, entry.offset >= 0, entry.offset % 4 == 0, entry.offset + 4 * entry.count <= dataLength else {
                throw .foreignFile(file: file, reason: "tensor \(entry.name) lies outside the data")
            }
            let start = dataOffset + entry.offset
            let values = (0..<entry.count).map { Float(bitPattern: UInt32(littleEndianBytes: bytes, at: start + 4 * $0)) }
            tensors[entry.name] = .init(shape: entry.shape, values: values)
        }
        do {
            return try MusicnnWeights(model: model, licence: header.licence, tensors: tensors)
        } catch {
            throw .foreignFile(file: file, reason: error.description)
        }
    }

    /// The model named in a weights file's header, or nil if the bytes are not a readable weights file.
    static func peekModel(_ data: Data) -> (model: String, tagCount: Int, licence: String)? {
        let bytes = [UInt8](data.prefix(1 << 20))
        guard bytes.count >= fixedHeaderSize, Array(bytes[0..<8]) == magic else { return nil }
        let headerLength = Int(UInt32(littleEndianBytes: bytes, at: 12))
        guard fixedHeaderSize + headerLength <= bytes.count,
              let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[fixedHeaderSize..<(fixedHeaderSize + headerLength)]))
        else { return nil }
        return (header.model, header.tags.count, header.licence)
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

extension UInt32 {
    /// The little-endian UInt32 at `offset` of `bytes` (which must hold 4 bytes there).
    init(littleEndianBytes bytes: [UInt8], at offset: Int) {
        self = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
