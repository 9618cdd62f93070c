import AudioDecoding

extension FeatureExtractor {
    /// The song summary and, when `embedding` is given, the musicnn embedding
    /// of a file (or of its excerpt), from one streaming decode.
    ///
    /// With `embedding` nil this is exactly ``summarize(path:decodeOptions:)``.
    /// Otherwise every decoded block feeds both the hand-crafted analysis and
    /// the embedding's front end; the embedding's patches are chosen from the
    /// header's duration (of the excerpt, when there is one).
    ///
    /// - Parameters:
    ///   - path: the audio file.
    ///   - decodeOptions: excerpt, block size and time limit (which counts the
    ///     embedding's work too); its `outputSampleRate` must equal
    ///     ``configuration``'s `sampleRate`, and with an embedding also the
    ///     embedding's ``EmbeddingExtractor/inputSampleRate`` (22,050 Hz; the defaults do).
    ///   - embedding: the worker's embedding extractor, or nil.
    /// - Returns: the track's features, with ``TrackFeatures/embedding`` set when `embedding` is given.
    /// - Throws: ``DecodingError``: `invalidParameter` naming the rates when they
    ///   differ, `tooShort` for less than one STFT frame of audio, or what decoding throws.
    /// - Complexity: the summary's cost plus, per track, resampling to 16 kHz
    ///   (about 250 multiply-adds per output sample), a 512-point FFT per 16 ms,
    ///   and 2.8 GFLOP per patch run.
    public func summarize(path: String, decodeOptions: DecodeOptions = DecodeOptions(),
                          embedding: EmbeddingExtractor?) throws -> TrackFeatures {
        guard let embedding else { return try summarize(path: path, decodeOptions: decodeOptions) }
        let decoder = try openEmbeddingDecoder(path: path, options: decodeOptions, embedding: embedding)
        var accumulator = SummaryAccumulator(analyzer: analyzer, finisher: finisher)
        var session = EmbeddingSession(extractor: embedding, expectedInputSamples: expectedSamples(decoder))
        let (report, sampleCount) = try stream(decoder, into: &accumulator) { session.add($0) }
        let (summary, tempo) = accumulator.finish()
        var features = TrackFeatures(
            info: decoder.info, summary: summary, tempo: tempo,
            analyzedSeconds: Double(sampleCount) / Double(configuration.sampleRate),
            startSeconds: report.startSeconds, nonFiniteSampleCount: report.nonFiniteSampleCount)
        features.embeddings = session.finishAll()
        return features
    }

    /// The musicnn embedding of a file alone (for a cached track that has its
    /// summary but not this model's embedding). Gives the same values as
    /// ``summarize(path:decodeOptions:embedding:)`` with the same options.
    ///
    /// - Parameters:
    ///   - path: the audio file.
    ///   - decodeOptions: as for ``summarize(path:decodeOptions:embedding:)``.
    ///   - embedding: the worker's embedding extractor.
    /// - Returns: the file's header (with the exact duration after a full decode) and its embedding.
    /// - Throws: ``DecodingError`` as ``summarize(path:decodeOptions:embedding:)`` does.
    public func embed(path: String, decodeOptions: DecodeOptions = DecodeOptions(),
                      using embedding: EmbeddingExtractor) throws -> (info: AudioFileInfo, embedding: SongEmbedding) {
        let (info, embeddings) = try embedAll(path: path, decodeOptions: decodeOptions, using: embedding)
        return (info, embeddings[0])
    }

    /// Every network's embedding of a file alone, in ``EmbeddingExtractor/models`` order, from one decode
    /// and one front end; as ``embed(path:decodeOptions:using:)`` otherwise.
    public func embedAll(path: String, decodeOptions: DecodeOptions = DecodeOptions(),
                         using embedding: EmbeddingExtractor) throws -> (info: AudioFileInfo, embeddings: [SongEmbedding]) {
        let decoder = try openEmbeddingDecoder(path: path, options: decodeOptions, embedding: embedding)
        var session = EmbeddingSession(extractor: embedding, expectedInputSamples: expectedSamples(decoder))
        var sampleCount = 0
        try decoder.decode { block in
            sampleCount += block.count
            session.add(block)
        }
        if sampleCount < configuration.fftSize {
            throw DecodingError.tooShort(
                path: decoder.path, durationSeconds: Double(sampleCount) / Double(configuration.sampleRate),
                minimumSeconds: minimumSeconds)
        }
        return (decoder.info, session.finishAll())
    }

    /// The musicnn embedding of mono samples at 22,050 Hz already in memory (for tests).
    ///
    /// - Parameters:
    ///   - samples22050: mono samples at 22,050 Hz; any length.
    ///   - embedding: the embedding extractor.
    /// - Returns: the embedding, patches chosen from the exact length.
    public func embed(samples22050: [Float], using embedding: EmbeddingExtractor) -> SongEmbedding {
        embedding.embed(samples22050: samples22050)
    }

    /// Opens `path` after checking that the decode rate suits both the STFT and the embedding.
    func openEmbeddingDecoder(path: String, options: DecodeOptions,
                                      embedding: EmbeddingExtractor) throws -> AudioDecoder {
        guard options.outputSampleRate == embedding.inputSampleRate else {
            throw DecodingError.invalidParameter(
                "decode outputSampleRate=\(options.outputSampleRate) Hz differs from the embedding's input rate "
                    + "\(embedding.inputSampleRate) Hz")
        }
        return try openDecoder(path: path, options: options)
    }

    /// The samples the decoder is expected to deliver (header duration, or the
    /// excerpt's length), or nil when the header gives no duration.
    func expectedSamples(_ decoder: AudioDecoder) -> Int? {
        var seconds = decoder.info.durationSeconds
        if let excerpt = decoder.options.excerptSeconds { seconds = min(seconds, excerpt) }
        guard seconds.isFinite, seconds > 0 else { return nil }
        return Int(min(seconds, 48 * 3600) * Double(decoder.options.outputSampleRate))
    }
}
