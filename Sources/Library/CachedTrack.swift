import AudioDecoding
import Features
import Foundation

/// What the feature cache stores for one analysed file: exactly what was
/// computed, in the cache's own format.
///
/// Not ``TrackAnalysis`` and not the `analyze` output: the path and the file's
/// identity are the row's key columns (``CacheKey``), and everything else is
/// here. Stored (`record` column) as typed binary since cache schema 5
/// (``encoded()``, ``BinaryRecordFormat``): the summary, embeddings and fingerprint
/// as little-endian Float32 and UInt32 blobs copied in one piece, the rest as
/// tagged fields, all under a format version and a CRC-32, read without JSON.
/// Schemas 2–4 stored it as compact JSON with the same blobs in base64 (747
/// bytes for the 95 values of layout version 2); ``decode(_:)`` still reads that
/// JSON, and a cache of those schemas opened for writing is converted in place.
/// Either way the values come back bit for bit, NaN included.
public struct CachedTrack: Codable, Equatable, Sendable {
    var title: String?
    var artist: String?
    var album: String?
    /// Absent in records written before FFmpeg decoding (read as nil, and libsndfile).
    var trackNumber: Int?
    var discNumber: Int?
    var decoder: AudioDecoderKind?
    var format: String
    var durationSeconds: Double
    var sampleRate: Int
    var channelCount: Int
    var analyzedSeconds: Double
    var analyzedStartSeconds: Double
    var nonFiniteSampleCount: Int
    /// ``SongSummary/version`` of the stored values.
    var summaryVersion: Int
    /// ``SongSummary/values``, little-endian Float32.
    var summaryValues: Data
    /// Learned embeddings, one per model; absent in records written before there were any.
    var embeddings: [CachedEmbedding]?
    /// ``TrackAnalysis/durationNote``; absent when the header agreed with the decoded length.
    var durationNote: String?
    /// ``TrackAnalysis/fingerprint``; absent in records written before fingerprints (read as nil: the
    /// duplicates search then compares that song by distance).
    var fingerprint: CachedFingerprint?
    /// ``TrackAnalysis/cueTrack``: the sheet's track and its range of the file; absent for a whole file
    /// (and in every record written before cue sheets were read).
    var cueTrack: CueSheetTrack?
    /// ``TrackAnalysis/genre``; absent when the file has no genre tag (and in records written before genres were
    /// read: nil, with no re-analysis).
    var genre: String?

    /// The record of `track` (its path goes in the key).
    public init(_ track: TrackAnalysis) {
        title = track.title
        artist = track.artist
        album = track.album
        trackNumber = track.trackNumber
        discNumber = track.discNumber
        decoder = track.decoder
        format = track.format
        durationSeconds = track.durationSeconds
        sampleRate = track.sampleRate
        channelCount = track.channelCount
        analyzedSeconds = track.analyzedSeconds
        analyzedStartSeconds = track.analyzedStartSeconds
        nonFiniteSampleCount = track.nonFiniteSampleCount
        summaryVersion = track.summary.version
        summaryValues = Self.bytes(of: track.summary.values)
        embeddings = track.embeddings.isEmpty ? nil : track.embeddings.map(CachedEmbedding.init)
        durationNote = track.durationNote
        fingerprint = track.fingerprint.map(CachedFingerprint.init)
        cueTrack = track.cueTrack
        genre = track.genre
    }

    /// The track at `path`, or nil when the record is stale or malformed: its
    /// summary is not of ``SummaryLayout/current``'s version, or does not have
    /// that layout's ``SummaryLayout/dimensionCount`` values. Such an entry is
    /// analysed again, never trusted.
    func track(path: String) -> TrackAnalysis? { track(path: path, source: nil) }

    /// The track at `path` (as ``track(path:)``), its fingerprint left in the record (``FingerprintSlot``) when
    /// its items were not read (``CachedFingerprint/deferredStamp``) and `source` says where the record is.
    ///
    /// - Parameters:
    ///   - source: the cache and row the record was read from; nil for a record not read from a cache.
    func track(path: String, source: FingerprintSlot.StoredRecord?) -> TrackAnalysis? {
        let layout = SummaryLayout.current
        guard summaryVersion == layout.version,
              summaryValues.count == layout.dimensionCount * MemoryLayout<UInt32>.size
        else { return nil }
        var analysis = TrackAnalysis(
            path: path, title: title, artist: artist, album: album, format: format, durationSeconds: durationSeconds,
            sampleRate: sampleRate, channelCount: channelCount, analyzedSeconds: analyzedSeconds,
            analyzedStartSeconds: analyzedStartSeconds, nonFiniteSampleCount: nonFiniteSampleCount,
            summary: SongSummary(version: summaryVersion, values: Self.values(of: summaryValues)),
            trackNumber: trackNumber, discNumber: discNumber, decoder: decoder ?? .libsndfile,
            embeddings: (embeddings ?? []).compactMap { $0.embedding() })
        analysis.durationNote = durationNote
        if let source, let fingerprint, let stamp = fingerprint.deferredStamp {
            analysis.fingerprintSlot = fingerprint.version == AudioFingerprint.version
                ? FingerprintSlot(stored: source, stamp: stamp) : FingerprintSlot(nil)
        } else {
            analysis.fingerprint = fingerprint?.fingerprint()
        }
        analysis.cueTrack = cueTrack
        analysis.genre = genre
        return analysis
    }

    /// `values` as little-endian IEEE 754 single-precision bytes, copied in one piece.
    static func bytes(of values: [Float]) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { Data($0) }
        #else
        return values.map(\.bitPattern.littleEndian).withUnsafeBytes { Data($0) }
        #endif
    }

    /// The floats in `data` (little-endian single precision, copied in one piece; a trailing partial value is ignored).
    static func values(of data: Data) -> [Float] {
        #if _endian(little)
        return copied(data, as: Float.self)
        #else
        return copied(data, as: UInt32.self).map { Float(bitPattern: UInt32(littleEndian: $0)) }
        #endif
    }

    /// The unsigned integers in `data` (little-endian, copied in one piece; a trailing partial value is ignored).
    static func items(of data: Data) -> [UInt32] {
        #if _endian(little)
        return copied(data, as: UInt32.self)
        #else
        return copied(data, as: UInt32.self).map { UInt32(littleEndian: $0) }
        #endif
    }

    /// The whole values of `T` in `data`, their bytes copied as they are in one piece.
    private static func copied<T: BitwiseCopyable>(_ data: Data, as type: T.Type) -> [T] {
        let count = data.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[..<(count * MemoryLayout<T>.stride)]))
            }
            initialized = count
        }
    }
}

/// One model's embedding as the cache stores it, values as little-endian Float32.
struct CachedEmbedding: Codable, Equatable, Sendable {
    /// ``EmbeddingNetworkIdentity/name`` of a network of ``EmbeddingModel/networks``.
    var model: String
    /// ``SongEmbedding/version``.
    var version: Int
    /// ``PatchBudget/description``: "all" or a patch count.
    var patchBudget: String
    var patchCount: Int
    var isPadded: Bool
    var values: Data
    var tagProbabilities: Data

    init(_ embedding: SongEmbedding) {
        model = embedding.model.name
        version = embedding.version
        patchBudget = embedding.patchBudget.description
        patchCount = embedding.patchCount
        isPadded = embedding.isPadded
        values = CachedTrack.bytes(of: embedding.values)
        tagProbabilities = CachedTrack.bytes(of: embedding.tagProbabilities)
    }

    /// The embedding, or nil when it is of a network not in `networks`, of
    /// another version, or malformed: such an entry is computed again, never trusted.
    ///
    /// - Parameter networks: the networks known by name; default ``EmbeddingModel/networks``.
    func embedding(networks: [RegisteredEmbeddingNetwork] = EmbeddingModel.networks) -> SongEmbedding? {
        guard let model = EmbeddingModel.network(named: model, in: networks)?.identity, version == model.version,
              let budget = PatchBudget(description: patchBudget) else { return nil }
        let embedding = SongEmbedding(
            model: model, version: version, values: CachedTrack.values(of: values),
            tagProbabilities: CachedTrack.values(of: tagProbabilities), patchCount: patchCount, isPadded: isPadded,
            patchBudget: budget)
        return embedding.isCurrent(for: model, patchBudget: budget) ? embedding : nil
    }
}

/// A fingerprint as the cache stores it: its version, the seconds it covers, and its items as
/// little-endian UInt32 bytes.
struct CachedFingerprint: Codable, Equatable, Sendable {
    /// ``AudioFingerprint/version``.
    var version: Int
    var seconds: Double
    var values: Data
    /// The length of the items in bytes when they were left in the record (``CachedTrack/decodeBinary(_:keepingFingerprintItems:)``):
    /// ``values`` is then empty. Nil when ``values`` holds them. Never stored.
    var deferredByteCount: Int?
    /// The fingerprint's stamp (``FingerprintSlot/stamp(itemBytes:seconds:version:)``) when its items were left in
    /// the record. Never stored.
    var deferredStamp: UInt64?

    private enum CodingKeys: String, CodingKey {
        case version, seconds, values
    }

    init(_ fingerprint: AudioFingerprint) {
        version = fingerprint.version
        seconds = fingerprint.fingerprintedSeconds
        values = fingerprint.values.map(\.littleEndian).withUnsafeBytes { Data($0) }
    }

    /// The fingerprint, or nil when it is of another version (it is then not compared).
    func fingerprint() -> AudioFingerprint? {
        guard version == AudioFingerprint.version else { return nil }
        return AudioFingerprint(version: version, values: CachedTrack.items(of: values), fingerprintedSeconds: seconds)
    }
}
