import AudioDecoding
import Features
import Foundation

/// Why a cache record was not trusted: a value in it that SongAtlas could not have computed.
///
/// A record read back from the cache is input like any other: a damaged or
/// edited record (a duration of 3e30, a NaN feature, a vector of the wrong
/// length) is refused here, and the song is analysed again.
public struct CachedRecordError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, naming the field and its value ("durationSeconds=3e+30 is not in (0, 1000000]").
    public var detail: String

    public init(_ detail: String) { self.detail = detail }

    public var description: String { detail }
}

extension CachedTrack {
    /// The longest track a record may describe, in seconds (about 11.6 days); the
    /// same bound as ``DecodeOptions/maximumExcerptSeconds``.
    public static let maximumSeconds = DecodeOptions.maximumExcerptSeconds

    /// Decodes one cache record (the `record` column) and checks every value in it.
    ///
    /// The one entry point for bytes read back from the cache, so that a fuzzer
    /// can call exactly what ``FeatureCache/loadAll()`` calls. Never traps, for any bytes.
    ///
    /// - Parameter data: the record as stored: binary (``encoded()``, cache schema 5), or
    ///   compact JSON as schemas 2–4 stored it (told apart by the binary record's first bytes).
    /// - Returns: the record, every value within the bounds ``validate()`` checks.
    /// - Throws: ``CachedRecordError`` naming the first value out of bounds, or what is wrong with
    ///   a binary record (truncated, another format version, a checksum that does not match); the
    ///   JSON decoder's error for other bytes that are not a record.
    public static func decode(_ data: Data) throws -> CachedTrack {
        try decode(data, keepingFingerprintItems: true)
    }

    /// Decodes and checks one cache record as ``decode(_:)`` does, leaving a binary record's fingerprint
    /// items unread unless `keepingFingerprintItems` (``CachedFingerprint/deferredByteCount``; they are still
    /// covered by the record's checksum and their length is checked).
    static func decode(_ data: Data, keepingFingerprintItems: Bool) throws -> CachedTrack {
        let record = BinaryRecordFormat.isBinary(data)
            ? try decodeBinary(data, keepingFingerprintItems: keepingFingerprintItems)
            : try JSONDecoder().decode(CachedTrack.self, from: data)
        try record.validate()
        return record
    }

    /// Checks that every value is one SongAtlas could have computed.
    ///
    /// - Durations: finite, `durationSeconds` in (0, ``maximumSeconds``],
    ///   `analyzedSeconds` and `analyzedStartSeconds` in [0, ``maximumSeconds``].
    /// - `sampleRate` in ``AudioDecoder/supportedSampleRates``, `channelCount`
    ///   in ``AudioDecoder/supportedChannelCounts``; counts ≥ 0.
    /// - The summary: ``SummaryLayout/current``'s version and exactly its
    ///   ``SummaryLayout/dimensionCount`` values, every one finite.
    /// - Each embedding of a network of ``EmbeddingModel/networks`` and its
    ///   current version: its ``EmbeddingNetworkIdentity/dimension`` finite values, one probability
    ///   in [0, 1] per tag, and ≥ 1 patch. An embedding of an unknown model or
    ///   another version is not damage (it is recomputed when needed).
    ///
    /// - Throws: ``CachedRecordError`` naming the first value out of bounds.
    public func validate() throws {
        func check(_ ok: Bool, _ detail: @autoclosure () -> String) throws {
            if !ok { throw CachedRecordError(detail()) }
        }
        let limit = Self.maximumSeconds
        try check(durationSeconds.isFinite && durationSeconds > 0 && durationSeconds <= limit,
                  "durationSeconds=\(durationSeconds) is not in (0, \(limit.secondsText)]")
        try check(analyzedSeconds.isFinite && analyzedSeconds >= 0 && analyzedSeconds <= limit,
                  "analyzedSeconds=\(analyzedSeconds) is not in [0, \(limit.secondsText)]")
        try check(analyzedStartSeconds.isFinite && analyzedStartSeconds >= 0 && analyzedStartSeconds <= limit,
                  "analyzedStartSeconds=\(analyzedStartSeconds) is not in [0, \(limit.secondsText)]")
        let rates = AudioDecoder.supportedSampleRates
        try check(rates.contains(sampleRate),
                  "sampleRate=\(sampleRate) is not in \(rates.lowerBound)...\(rates.upperBound)")
        let channels = AudioDecoder.supportedChannelCounts
        try check(channels.contains(channelCount),
                  "channelCount=\(channelCount) is not in \(channels.lowerBound)...\(channels.upperBound)")
        try check(nonFiniteSampleCount >= 0, "nonFiniteSampleCount=\(nonFiniteSampleCount) is negative")
        if let trackNumber { try check(trackNumber >= 0, "trackNumber=\(trackNumber) is negative") }
        if let discNumber { try check(discNumber >= 0, "discNumber=\(discNumber) is negative") }

        let layout = SummaryLayout.current
        try check(summaryVersion == layout.version,
                  "summaryVersion=\(summaryVersion) is not the current feature version \(layout.version)")
        let valueBytes = layout.dimensionCount * MemoryLayout<UInt32>.size
        try check(summaryValues.count == valueBytes,
                  "the summary has \(summaryValues.count) bytes, layout version \(layout.version) needs \(valueBytes) "
                      + "(\(layout.dimensionCount) values)")
        if let index = Self.values(of: summaryValues).firstIndex(where: { !$0.isFinite }) {
            let name = index < layout.names.count ? layout.names[index] : "#\(index)"
            throw CachedRecordError("summary value \(name)=\(Self.values(of: summaryValues)[index]) is not finite")
        }
        for embedding in embeddings ?? [] { try embedding.validate() }
        if let fingerprint, fingerprint.version == AudioFingerprint.version {
            let limit = AudioFingerprint.maximumItemCount
            let byteCount = fingerprint.deferredByteCount ?? fingerprint.values.count
            try check(byteCount % 4 == 0 && byteCount <= limit * 4,
                      "the fingerprint has \(byteCount) bytes, not a multiple of 4 up to \(limit * 4)")
            try check(fingerprint.seconds.isFinite && fingerprint.seconds >= 0
                          && fingerprint.seconds <= AudioFingerprint.maximumSeconds + 1,
                      "the fingerprint's seconds=\(fingerprint.seconds) is not in [0, \(AudioFingerprint.maximumSeconds.secondsText)]")
        }
    }
}

extension CachedEmbedding {
    /// Checks a stored embedding of a known model and the current version (see ``CachedTrack/validate()``).
    ///
    /// - Throws: ``CachedRecordError`` naming the first value out of bounds.
    func validate() throws {
        guard let known = EmbeddingModel.network(named: model)?.identity, version == known.version else { return }
        let name = known.identifier
        let dimensionCount = known.dimension
        guard values.count == dimensionCount * 4 else {
            throw CachedRecordError("the \(name) embedding has \(values.count) bytes, it needs \(dimensionCount * 4) "
                + "(\(dimensionCount) values)")
        }
        guard tagProbabilities.count == known.tags.count * 4 else {
            throw CachedRecordError("the \(name) tag probabilities have \(tagProbabilities.count) bytes, they need "
                + "\(known.tags.count * 4) (\(known.tags.count) tags)")
        }
        if let value = CachedTrack.values(of: values).first(where: { !$0.isFinite }) {
            throw CachedRecordError("the \(name) embedding holds \(value)")
        }
        if let value = CachedTrack.values(of: tagProbabilities).first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw CachedRecordError("the \(name) tag probabilities hold \(value), not in [0, 1]")
        }
        guard patchCount >= 1 else { throw CachedRecordError("the \(name) embedding's patchCount=\(patchCount) is below 1") }
    }
}
