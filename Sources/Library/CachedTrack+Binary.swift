import AudioDecoding
import Features
import Foundation

/// The cache record as typed binary (cache schema 5): no JSON, no number parsing, every byte checksummed.
///
/// Layout, every integer little-endian:
///
/// | bytes | what |
/// |---|---|
/// | 0..<4 | magic `89 53 41 52` ("\u{89}SAR": never the first byte of a JSON record) |
/// | 4..<6 | format version, UInt16 (``BinaryRecordFormat/version``) |
/// | 6..<8 | 0 (reserved) |
/// | 8..<12 | payload length in bytes, UInt32 |
/// | 12..<16 | CRC-32 (``CRC32``, zlib's) of bytes 0..<12 and the payload |
/// | 16... | payload: fields |
///
/// A field is a tag (UInt8), its length in bytes (UInt32) and its bytes: an integer
/// is 8 bytes (Int64), a real 8 bytes (IEEE 754 double), a text UTF-8 bytes, a vector of
/// summary, embedding or tag values little-endian Float32 and a fingerprint little-endian UInt32,
/// both copied in one piece. An embedding, the fingerprint and a cue track are fields whose bytes are fields
/// of their own (``BinaryRecordTag``). Fields a reader does not know are skipped, so a later SongAtlas may add
/// optional ones within the same format version; a field known but of the wrong length, a required field
/// missing or given twice, text that is not UTF-8, a length past the end or a checksum that does not match
/// make the record damaged (``CachedRecordError``).
enum BinaryRecordFormat {
    /// The first four bytes of every binary record.
    static let magic: [UInt8] = [0x89, 0x53, 0x41, 0x52]
    /// The layout version this SongAtlas writes and reads.
    static let version: UInt16 = 1
    /// Bytes before the payload.
    static let headerSize = 16

    /// Whether `data` starts as a binary record does (else it is taken for a JSON one).
    static func isBinary(_ data: Data) -> Bool {
        data.count >= magic.count && data.prefix(magic.count).elementsEqual(magic)
    }
}

extension CachedTrack {
    /// The optional texts of a record, by tag: adding one optional `String?` field to the record is one line here.
    ///
    /// Tags 64 and above; each is written when not nil and read back into its key path.
    static let binaryTextFields: [(tag: UInt8, field: WritableKeyPath<CachedTrack, String?> & Sendable)] = [
        (64, \.title),
        (65, \.artist),
        (66, \.album),
        (67, \.durationNote),
        (68, \.genre),
    ]

    /// This record as typed binary (``BinaryRecordFormat``): what ``FeatureCache`` stores.
    ///
    /// ``decode(_:)`` reads it back equal, bit for bit (NaN included).
    public func encoded() -> Data {
        var writer = BinaryRecordWriter()
        writer.text(BinaryRecordTag.format, format)
        if let decoder { writer.text(BinaryRecordTag.decoder, decoder.rawValue) }
        writer.real(BinaryRecordTag.durationSeconds, durationSeconds)
        writer.integer(BinaryRecordTag.sampleRate, sampleRate)
        writer.integer(BinaryRecordTag.channelCount, channelCount)
        writer.real(BinaryRecordTag.analyzedSeconds, analyzedSeconds)
        writer.real(BinaryRecordTag.analyzedStartSeconds, analyzedStartSeconds)
        writer.integer(BinaryRecordTag.nonFiniteSampleCount, nonFiniteSampleCount)
        if let trackNumber { writer.integer(BinaryRecordTag.trackNumber, trackNumber) }
        if let discNumber { writer.integer(BinaryRecordTag.discNumber, discNumber) }
        writer.integer(BinaryRecordTag.summaryVersion, summaryVersion)
        writer.bytes(BinaryRecordTag.summaryValues, summaryValues)
        for (tag, field) in Self.binaryTextFields { if let text = self[keyPath: field] { writer.text(tag, text) } }
        for embedding in embeddings ?? [] {
            writer.group(BinaryRecordTag.embedding) { group in
                group.text(BinaryRecordTag.Embedding.model, embedding.model)
                group.integer(BinaryRecordTag.Embedding.version, embedding.version)
                group.text(BinaryRecordTag.Embedding.patchBudget, embedding.patchBudget)
                group.integer(BinaryRecordTag.Embedding.patchCount, embedding.patchCount)
                group.integer(BinaryRecordTag.Embedding.isPadded, embedding.isPadded ? 1 : 0)
                group.bytes(BinaryRecordTag.Embedding.values, embedding.values)
                group.bytes(BinaryRecordTag.Embedding.tagProbabilities, embedding.tagProbabilities)
            }
        }
        if let fingerprint {
            writer.group(BinaryRecordTag.fingerprint) { group in
                group.integer(BinaryRecordTag.Fingerprint.version, fingerprint.version)
                group.real(BinaryRecordTag.Fingerprint.seconds, fingerprint.seconds)
                group.bytes(BinaryRecordTag.Fingerprint.values, fingerprint.values)
            }
        }
        if let cueTrack {
            writer.group(BinaryRecordTag.cueTrack) { group in
                group.text(BinaryRecordTag.CueTrack.audioPath, cueTrack.audioPath)
                group.text(BinaryRecordTag.CueTrack.sheetPath, cueTrack.sheetPath)
                group.integer(BinaryRecordTag.CueTrack.isEmbedded, cueTrack.isEmbedded ? 1 : 0)
                group.integer(BinaryRecordTag.CueTrack.trackNumber, cueTrack.trackNumber)
                group.integer(BinaryRecordTag.CueTrack.startSample, cueTrack.startSample)
                group.integer(BinaryRecordTag.CueTrack.endSample, cueTrack.endSample)
                group.integer(BinaryRecordTag.CueTrack.sampleRate, cueTrack.sampleRate)
                if let title = cueTrack.title { group.text(BinaryRecordTag.CueTrack.title, title) }
                if let performer = cueTrack.performer { group.text(BinaryRecordTag.CueTrack.performer, performer) }
                if let album = cueTrack.album { group.text(BinaryRecordTag.CueTrack.album, album) }
            }
        }
        return writer.record()
    }

    /// Reads a binary record (``BinaryRecordFormat``) without checking its values (``validate()`` does).
    ///
    /// - Throws: ``CachedRecordError`` for a record that is truncated, of another format version, fails its
    ///   checksum, or whose fields are not those ``encoded()`` writes.
    static func decodeBinary(_ data: Data, keepingFingerprintItems: Bool = true) throws -> CachedTrack {
        try data.withUnsafeBytes { raw in
            let header = BinaryRecordFormat.headerSize
            guard raw.count >= header else {
                throw CachedRecordError("the binary record is truncated: \(raw.count) bytes, its header alone needs \(header)")
            }
            let version = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
            guard version == BinaryRecordFormat.version else {
                throw CachedRecordError("the binary record is of format version \(version); this SongAtlas reads version "
                    + "\(BinaryRecordFormat.version)")
            }
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
            guard raw.count - header == length else {
                throw CachedRecordError("the binary record is truncated or overlong: its header says \(length) bytes "
                    + "follow it, \(raw.count - header) do")
            }
            let stored = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
            let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[header...]),
                                          continuing: CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[..<12])))
            guard stored == computed else {
                throw CachedRecordError("the binary record fails its checksum (stored "
                    + String(format: "0x%08X, computed 0x%08X)", stored, computed))
            }
            return try CachedTrack(fields: BinaryRecordReader(UnsafeRawBufferPointer(rebasing: raw[header...])),
                                   keepingFingerprintItems: keepingFingerprintItems)
        }
    }

    /// The record from its top-level fields.
    private init(fields: BinaryRecordReader, keepingFingerprintItems: Bool) throws {
        typealias Tag = BinaryRecordTag
        var reader = fields
        var seen = BinaryRecordReader.TagSet()
        format = ""
        durationSeconds = 0
        sampleRate = 0
        channelCount = 0
        analyzedSeconds = 0
        analyzedStartSeconds = 0
        nonFiniteSampleCount = 0
        summaryVersion = 0
        summaryValues = Data()
        var embeddings: [CachedEmbedding] = []
        while let field = try reader.next() {
            switch field.tag {
            case Tag.embedding:
                embeddings.append(try CachedEmbedding(fields: BinaryRecordReader(field.bytes)))
                continue
            default: break
            }
            try seen.insert(field.tag, in: "the binary record")
            switch field.tag {
            case Tag.format: format = try field.text()
            case Tag.decoder:
                let name = try field.text()
                guard let kind = AudioDecoderKind(rawValue: name) else {
                    throw CachedRecordError("decoder=\(name) is not a decoder this SongAtlas knows")
                }
                decoder = kind
            case Tag.durationSeconds: durationSeconds = try field.real()
            case Tag.sampleRate: sampleRate = try field.integer()
            case Tag.channelCount: channelCount = try field.integer()
            case Tag.analyzedSeconds: analyzedSeconds = try field.real()
            case Tag.analyzedStartSeconds: analyzedStartSeconds = try field.real()
            case Tag.nonFiniteSampleCount: nonFiniteSampleCount = try field.integer()
            case Tag.trackNumber: trackNumber = try field.integer()
            case Tag.discNumber: discNumber = try field.integer()
            case Tag.summaryVersion: summaryVersion = try field.integer()
            case Tag.summaryValues: summaryValues = field.data()
            case Tag.fingerprint:
                fingerprint = try CachedFingerprint(fields: BinaryRecordReader(field.bytes),
                                                    keepingItems: keepingFingerprintItems)
            case Tag.cueTrack: cueTrack = try CueSheetTrack(fields: BinaryRecordReader(field.bytes))
            default:
                if let text = Self.binaryTextFields.first(where: { $0.tag == field.tag }) {
                    self[keyPath: text.field] = try field.text()
                }
            }
        }
        try seen.require(Tag.required, in: "the binary record")
        self.embeddings = embeddings.isEmpty ? nil : embeddings
    }
}

extension CachedEmbedding {
    /// An embedding from its fields (see ``CachedTrack/encoded()``).
    fileprivate init(fields: BinaryRecordReader) throws {
        typealias Tag = BinaryRecordTag.Embedding
        var reader = fields
        var seen = BinaryRecordReader.TagSet()
        model = ""
        version = 0
        patchBudget = ""
        patchCount = 0
        isPadded = false
        values = Data()
        tagProbabilities = Data()
        while let field = try reader.next() {
            try seen.insert(field.tag, in: "an embedding of the binary record")
            switch field.tag {
            case Tag.model: model = try field.text()
            case Tag.version: version = try field.integer()
            case Tag.patchBudget: patchBudget = try field.text()
            case Tag.patchCount: patchCount = try field.integer()
            case Tag.isPadded: isPadded = try field.integer() != 0
            case Tag.values: values = field.data()
            case Tag.tagProbabilities: tagProbabilities = field.data()
            default: break
            }
        }
        try seen.require(Tag.required, in: "an embedding of the binary record")
    }
}

extension CachedFingerprint {
    /// A fingerprint from its fields (see ``CachedTrack/encoded()``).
    ///
    /// Unless `keepingItems`, the items are not copied: ``deferredByteCount`` gives their length.
    fileprivate init(fields: BinaryRecordReader, keepingItems: Bool = true) throws {
        typealias Tag = BinaryRecordTag.Fingerprint
        var items: UnsafeRawBufferPointer?
        var reader = fields
        var seen = BinaryRecordReader.TagSet()
        version = 0
        seconds = 0
        values = Data()
        while let field = try reader.next() {
            try seen.insert(field.tag, in: "the fingerprint of the binary record")
            switch field.tag {
            case Tag.version: version = try field.integer()
            case Tag.seconds: seconds = try field.real()
            case Tag.values:
                if keepingItems {
                    values = field.data()
                } else {
                    deferredByteCount = field.bytes.count
                    items = field.bytes
                }
            default: break
            }
        }
        try seen.require(Tag.required, in: "the fingerprint of the binary record")
        if let items { deferredStamp = FingerprintSlot.stamp(itemBytes: items, seconds: seconds, version: version) }
    }
}

extension CueSheetTrack {
    /// A cue track from its fields (see ``CachedTrack/encoded()``).
    fileprivate init(fields: BinaryRecordReader) throws {
        typealias Tag = BinaryRecordTag.CueTrack
        var reader = fields
        var seen = BinaryRecordReader.TagSet()
        var audioPath = "", sheetPath = "", isEmbedded = false
        var trackNumber = 0, startSample = 0, endSample = 0, sampleRate = 0
        var title: String?, performer: String?, album: String?
        while let field = try reader.next() {
            try seen.insert(field.tag, in: "the cue track of the binary record")
            switch field.tag {
            case Tag.audioPath: audioPath = try field.text()
            case Tag.sheetPath: sheetPath = try field.text()
            case Tag.isEmbedded: isEmbedded = try field.integer() != 0
            case Tag.trackNumber: trackNumber = try field.integer()
            case Tag.startSample: startSample = try field.integer()
            case Tag.endSample: endSample = try field.integer()
            case Tag.sampleRate: sampleRate = try field.integer()
            case Tag.title: title = try field.text()
            case Tag.performer: performer = try field.text()
            case Tag.album: album = try field.text()
            default: break
            }
        }
        try seen.require(Tag.required, in: "the cue track of the binary record")
        self.init(audioPath: audioPath, sheetPath: sheetPath, isEmbedded: isEmbedded, trackNumber: trackNumber,
                  startSample: startSample, endSample: endSample, sampleRate: sampleRate, title: title,
                  performer: performer, album: album)
    }
}
