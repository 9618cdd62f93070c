import AudioDecoding
@testable import Features
import Foundation
import SyntheticAudio
import TestSupport
import XCTest

/// The front end and the whole path from a file against the reference
/// pipeline (librosa 0.11 with soxr_hq resampling to 16 kHz, TensorFlow 2.15.1),
/// and the behaviour at the edges (short, silent, budgets).
final class EmbeddingExtractorTests: XCTestCase {
    static func samples(_ file: String) throws -> [Float] {
        try AudioDecoder(path: repositoryRoot.appendingPathComponent(file).path).decodeAll()
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); aa += Double(x) * Double(x); bb += Double(y) * Double(y) }
        return dot / (aa.squareRoot() * bb.squareRoot())
    }

    static func mean(_ rows: [[Float]]) -> [Float] {
        (0..<rows[0].count).map { column in rows.reduce(0) { $0 + $1[column] } / Float(rows.count) }
    }

    /// The log-mel front end (22,050 Hz → steep resampler → 16 kHz STFT → mel → log10)
    /// against librosa with soxr_hq: within 0.01 over at least 99 % of the cells.
    func testFrontEndMatchesLibrosa() throws {
        let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(.mtt))
        for signal in MusicnnFixture.reference.frontEnd {
            let rows = extractor.logMelSpectrogram(samples22050: try Self.samples(signal.file))
            XCTAssertEqual(rows.count, signal.frameCount, signal.signal)
            var cells = 0, close = 0
            var worst: Float = 0
            for (frame, expected) in zip(signal.frames, signal.logMel) where frame < rows.count {
                for (a, b) in zip(rows[frame], expected) {
                    cells += 1
                    let difference = abs(a - b)
                    worst = max(worst, difference)
                    if difference <= 0.01 { close += 1 }
                }
            }
            XCTAssertEqual(cells, signal.frames.count * 96, signal.signal)
            XCTAssertGreaterThanOrEqual(Double(close) / Double(cells), 0.99, "\(signal.signal): worst |Δ| \(worst)")
            print("front end \(signal.signal): \(close)/\(cells) cells within 0.01, worst |Δ| \(worst)")
        }
    }

    /// From the file to the mean embedding over every whole patch: cosine ≥ 0.999
    /// against the reference pipeline, and tag probabilities within 0.02.
    func testWholePathMatchesReference() throws {
        let features = FeatureExtractor()
        let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(.mtt), patchBudget: .all)
        for reference in MusicnnFixture.reference.wholePath {
            let path = repositoryRoot.appendingPathComponent(reference.file).path
            let (_, embedding) = try features.embed(path: path, using: extractor)
            XCTAssertEqual(embedding.patchCount, reference.patchCount, reference.signal)
            XCTAssertFalse(embedding.isPadded)
            let cosine = Self.cosine(embedding.values, Self.mean(reference.embeddings))
            XCTAssertGreaterThanOrEqual(cosine, 0.999, reference.signal)
            let tagError = maximumDifference(embedding.tagProbabilities, Self.mean(reference.tags)).value
            XCTAssertLessThanOrEqual(tagError, 0.02, reference.signal)
            print("whole path \(reference.signal): cosine \(cosine), worst tag |Δ| \(tagError)")
        }
    }

    /// An evenly spaced budget runs exactly the chosen grid patches: the mean of
    /// the reference's patches at those indices.
    func testEvenlySpacedBudgetTakesTheChosenPatches() throws {
        let features = FeatureExtractor()
        let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(.mtt), patchBudget: .evenlySpaced(2))
        let reference = try XCTUnwrap(MusicnnFixture.reference.wholePath.first { $0.patchCount >= 5 })
        let (_, embedding) = try features.embed(path: repositoryRoot.appendingPathComponent(reference.file).path, using: extractor)
        XCTAssertEqual(embedding.patchCount, 2)
        let plan = PatchPlan(budget: .evenlySpaced(2), expectedPatches: reference.patchCount)
        let chosen = try XCTUnwrap(plan.chosen).sorted()
        XCTAssertEqual(chosen.count, 2)
        let expected = Self.mean(chosen.map { reference.embeddings[$0] })
        XCTAssertGreaterThanOrEqual(Self.cosine(embedding.values, expected), 0.999)
        // And not the mean of every patch (the two differ by more than the tolerance).
        let allPatches = Self.mean(reference.embeddings)
        XCTAssertLessThan(maximumDifference(expected, allPatches).value > 0.01 ? 0 : 1, 1)
    }

    /// Patch choice: centres of n equal parts, all when the budget is larger.
    func testPatchPlan() {
        XCTAssertEqual(PatchPlan(budget: .evenlySpaced(1), expectedPatches: 10).chosen, [5])
        XCTAssertEqual(PatchPlan(budget: .evenlySpaced(2), expectedPatches: 10).chosen, [2, 7])
        XCTAssertEqual(PatchPlan(budget: .evenlySpaced(5), expectedPatches: 10).chosen, [1, 3, 5, 7, 9])
        XCTAssertEqual(PatchPlan(budget: .evenlySpaced(3), expectedPatches: 100).chosen, [16, 50, 83])
        XCTAssertNil(PatchPlan(budget: .evenlySpaced(5), expectedPatches: 5).chosen)
        XCTAssertNil(PatchPlan(budget: .evenlySpaced(5), expectedPatches: 3).chosen)
        XCTAssertNil(PatchPlan(budget: .all, expectedPatches: 100).chosen)
        XCTAssertEqual(PatchPlan.wholePatches(frames: 186), 0)
        XCTAssertEqual(PatchPlan.wholePatches(frames: 187), 1)
        XCTAssertEqual(PatchPlan.wholePatches(frames: 374), 2)
        XCTAssertEqual(PatchPlan.frames(samples16k: 16000), 63)
    }

    /// A track shorter than one patch gets one zero-padded patch; silence gives finite values.
    func testShortAndSilentTracks() throws {
        let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(.mtt))
        let short = extractor.embed(samples22050: Signals.sine(frequency: 440, seconds: 1.5))
        XCTAssertTrue(short.isPadded)
        XCTAssertEqual(short.patchCount, 1)
        XCTAssertTrue(short.values.allSatisfy(\.isFinite))
        XCTAssertEqual(short.values.count, 200)
        XCTAssertEqual(short.tagProbabilities.count, 50)

        let silence = extractor.embed(samples22050: Signals.silence(seconds: 10))
        XCTAssertFalse(silence.isPadded)
        XCTAssertEqual(silence.patchCount, 3)   // 10 s at 16 kHz: 626 frames, 3 whole patches
        XCTAssertTrue(silence.values.allSatisfy(\.isFinite))
        XCTAssertTrue(silence.tagProbabilities.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        // Silence is all-zero log-mel input: the zero patch of the fixture.
        let zeros = try XCTUnwrap(MusicnnFixture.reference.patches.last)
        XCTAssertLessThanOrEqual(maximumDifference(silence.values, zeros.mtt.embedding).value, 1e-3)

        let empty = extractor.embed(samples22050: [])
        XCTAssertTrue(empty.isPadded)
        XCTAssertTrue(empty.values.allSatisfy(\.isFinite))
    }

    /// One decode for both: `embedding: nil` is today's summary exactly, and the
    /// embedding from summarize equals the one from embed(path:).
    func testSummarizeWithEmbeddingIsOneDecodeOfBoth() throws {
        let path = repositoryRoot.appendingPathComponent("SampleAudio/dnb-01.flac").path
        let features = FeatureExtractor()
        let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(.msd), patchBudget: .evenlySpaced(3))
        let plain = try features.summarize(path: path)
        let withoutEmbedding = try features.summarize(path: path, embedding: nil)
        XCTAssertEqual(withoutEmbedding, plain)
        XCTAssertNil(plain.embedding)
        let both = try features.summarize(path: path, embedding: extractor)
        XCTAssertEqual(both.summary, plain.summary)
        XCTAssertEqual(both.analyzedSeconds, plain.analyzedSeconds)
        let embedding = try XCTUnwrap(both.embedding)
        XCTAssertEqual(embedding.model, .msd)
        XCTAssertEqual(embedding.patchCount, 3)
        XCTAssertTrue(embedding.isCurrent(for: .msd, patchBudget: .evenlySpaced(3)))
        XCTAssertFalse(embedding.isCurrent(for: .msd, patchBudget: .all), "made with another budget")
        let (info, alone) = try features.embed(path: path, using: extractor)
        XCTAssertEqual(alone, embedding)
        XCTAssertEqual(info.durationSeconds, 16, accuracy: 0.001)
        XCTAssertEqual(embedding.rankedTags.count, 50)
        XCTAssertGreaterThanOrEqual(embedding.rankedTags[0].probability, embedding.rankedTags[49].probability)
    }

    /// The embedding needs the analysis rate; another decode rate is refused naming both rates.
    func testOtherDecodeRateIsRefused() throws {
        let path = repositoryRoot.appendingPathComponent("SampleAudio/dnb-01.flac").path
        let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(.mtt))
        let features = FeatureExtractor(configuration: STFTConfiguration(sampleRate: 16000))
        XCTAssertThrowsError(try features.embed(path: path, decodeOptions: DecodeOptions(outputSampleRate: 16000), using: extractor)) {
            XCTAssertTrue("\($0)".contains("16000") && "\($0)".contains("22050"), "\($0)")
        }
    }

    /// A header that promises more than the file holds: the last whole patch is used.
    func testLyingLengthFallsBackToTheLastWholePatch() throws {
        let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(.mtt), patchBudget: .evenlySpaced(1))
        let samples = try Self.samples("SampleAudio/piano-01.flac")
        var session = EmbeddingSession(extractor: extractor, expectedInputSamples: samples.count * 10)
        samples.withUnsafeBufferPointer { session.add($0) }
        let embedding = session.finish()
        XCTAssertEqual(embedding.patchCount, 1)
        XCTAssertFalse(embedding.isPadded)
        let reference = try XCTUnwrap(MusicnnFixture.reference.wholePath.first { $0.signal == "piano-01" })
        XCTAssertGreaterThanOrEqual(Self.cosine(embedding.values, reference.embeddings.last!), 0.999)
    }
}

/// Skipping the stretches no chosen patch reads changes nothing: the
/// streaming embedding equals the network run on those patches of the whole
/// log-mel spectrogram.
final class EmbeddingStreamingTests: XCTestCase {
    func testStreamingEqualsThePatchesOfTheWholeSpectrogram() throws {
        let samples = Signals.drumLoop(bpm: 124, seconds: 25) + Signals.noise(seconds: 15, amplitude: 0.1)
        let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(.mtt), patchBudget: .evenlySpaced(3))
        let streamed = extractor.embed(samples22050: samples)
        let rows = extractor.logMelSpectrogram(samples22050: samples)
        let plan = PatchPlan(budget: .evenlySpaced(3), expectedPatches: rows.count / 187)
        let chosen = try XCTUnwrap(plan.chosen).sorted()
        XCTAssertEqual(chosen.count, 3)
        XCTAssertEqual(streamed.patchCount, 3)
        let results = extractor.embed(patches: chosen.map { Array(rows[($0 * 187)..<(($0 + 1) * 187)].joined()) })
        let expected = (0..<200).map { unit in results.reduce(Float(0)) { $0 + $1.embedding[unit] } / 3 }
        XCTAssertLessThanOrEqual(maximumDifference(streamed.values, expected).value, 1e-5)
    }
}

/// Workers run side by side, each with its own extractor and one shared set
/// of weights: BLAS on one thread per worker gives the same values as one
/// worker alone.
final class EmbeddingConcurrencyTests: XCTestCase {
    func testTwoWorkersGiveTheSameEmbeddings() throws {
        let weights = try MusicnnFixture.weights(.mtt)
        let signals = [Signals.drumLoop(bpm: 96, seconds: 9), Signals.noise(seconds: 9, amplitude: 0.2)]
        let alone = signals.map { EmbeddingExtractor(weights: weights, patchBudget: .all).embed(samples22050: $0) }
        nonisolated(unsafe) var together = [SongEmbedding?](repeating: nil, count: signals.count)
        DispatchQueue.concurrentPerform(iterations: signals.count) { index in
            let embedding = EmbeddingExtractor(weights: weights, patchBudget: .all).embed(samples22050: signals[index])
            together[index] = embedding
        }
        XCTAssertEqual(together, alone.map { Optional($0) })
        XCTAssertEqual(alone.map(\.patchCount), [3, 3])
    }
}
