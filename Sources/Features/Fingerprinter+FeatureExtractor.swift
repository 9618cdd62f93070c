import AudioDecoding

extension FeatureExtractor {
    /// The song summary, the embedding (when `embedding` is given) and the Chromaprint
    /// fingerprint of a file, from one streaming decode.
    ///
    /// With `fingerprinter` nil this is exactly ``summarize(path:decodeOptions:embedding:)``.
    /// Otherwise every decoded block (mono, at the analysis rate) also feeds the
    /// fingerprinter, up to ``AudioFingerprint/computedSeconds``; no second decode.
    ///
    /// - Parameters: as ``summarize(path:decodeOptions:embedding:)``, and
    ///   - fingerprinter: the worker's fingerprinter, or nil.
    /// - Returns: the track's features, with ``TrackFeatures/fingerprint`` set when a fingerprinter is given
    ///   and Chromaprint succeeded.
    /// - Throws: as ``summarize(path:decodeOptions:embedding:)``.
    /// - Complexity: the summary's cost plus Chromaprint's (resampling to 11,025 Hz, a 4096-point FFT per
    ///   1365 samples there, and its filters), measured by `songatlas-bench fingerprint`.
    public func summarize(path: String, decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingExtractor?,
                          fingerprinter: Fingerprinter?) throws -> TrackFeatures {
        guard let fingerprinter else { return try summarize(path: path, decodeOptions: decodeOptions, embedding: embedding) }
        let decoder = try embedding.map { try openEmbeddingDecoder(path: path, options: decodeOptions, embedding: $0) }
            ?? openDecoder(path: path, options: decodeOptions)
        var accumulator = SummaryAccumulator(analyzer: analyzer, finisher: finisher)
        var session = embedding.map { EmbeddingSession(extractor: $0, expectedInputSamples: expectedSamples(decoder)) }
        fingerprinter.start(sampleRate: decoder.options.outputSampleRate)
        let (report, sampleCount) = try stream(decoder, into: &accumulator) { block in
            session?.add(block)
            fingerprinter.add(block)
        }
        let (summary, tempo) = accumulator.finish()
        var features = TrackFeatures(
            info: decoder.info, summary: summary, tempo: tempo,
            analyzedSeconds: Double(sampleCount) / Double(configuration.sampleRate),
            startSeconds: report.startSeconds, nonFiniteSampleCount: report.nonFiniteSampleCount)
        features.embeddings = session?.finishAll() ?? []
        features.fingerprint = fingerprinter.finish()
        return features
    }
}
