import AudioDecoding
@testable import Features
import Foundation
import TestSupport
import XCTest

/// Compares every frame feature with librosa 0.11.0 on committed reference
/// values (`Fixtures/librosa-reference.json`, made by
/// `scripts/make-reference-fixtures`; provenance inside the file).
final class LibrosaReferenceTests: XCTestCase {
    struct Reference: Decodable {
        struct Provenance: Decodable { var tool: String; var version: String }
        struct Signal: Decodable {
            var name: String
            var file: String
            var sampleRate: Int
            var sampleCount: Int
            var frameCount: Int
            var mfcc: [[Float]]
            var chroma: [[Float]]
            var centroid: [Float]
            var bandwidth: [Float]
            var rolloff: [Float]
            var flatness: [Float]
            var zcr: [Float]
            var rms: [Float]
            var onset: [Float]
            var contrast: [[Float]]
            var melDb: [[Float]]?
        }
        var provenance: Provenance
        var signals: [Signal]
    }

    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    static let reference: Reference = {
        let data = try! Data(contentsOf: fixtures.appendingPathComponent("librosa-reference.json"))
        return try! JSONDecoder().decode(Reference.self, from: data)
    }()

    func testFixturesComeFromPinnedLibrosa() {
        XCTAssertEqual(Self.reference.provenance.tool, "librosa")
        XCTAssertEqual(Self.reference.provenance.version, "0.11.0")
        XCTAssertGreaterThanOrEqual(Self.reference.signals.count, 8)
    }

    /// Runs `check` for every reference signal with our features of the same file.
    private func forEachSignal(_ check: (Reference.Signal, FrameFeatureMatrix) throws -> Void) throws {
        let extractor = FeatureExtractor()
        for signal in Self.reference.signals {
            let path = Self.fixtures.appendingPathComponent(signal.file).path
            let (info, features) = try extractor.frameFeatures(path: path)
            XCTAssertEqual(info.sampleRate, signal.sampleRate, signal.name)
            XCTAssertEqual(features.frameCount, signal.frameCount, "\(signal.name): frame count")
            guard features.frameCount == signal.frameCount else { continue }
            try check(signal, features)
        }
    }

    /// Asserts a scalar feature agrees within `fraction` of its reference range.
    private func assertWithinRange(
        _ name: String, _ ours: [Float], _ theirs: [Float], signal: String, fraction: Float = 1e-3,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let range = max((theirs.max() ?? 0) - (theirs.min() ?? 0), 1e-6)
        let (difference, frame) = maximumDifference(ours, theirs)
        XCTAssertLessThanOrEqual(
            difference, fraction * range,
            "\(signal) \(name): frame \(frame) ours \(ours[frame]) librosa \(theirs[frame]) (range \(range))",
            file: file, line: line)
    }

    func testChromaMatchesChromaSTFT() throws {
        try forEachSignal { signal, features in
            for pitch in 0..<12 {
                let ours = features.column(FrameFeatureNames.chromaOffset + pitch)
                let theirs = signal.chroma.map { $0[pitch] }
                // Chroma's range is [0, 1] by construction: 1e-3 of that.
                let (difference, frame) = maximumDifference(ours, theirs)
                XCTAssertLessThanOrEqual(difference, 1e-3, "\(signal.name) chroma \(pitch) frame \(frame)")
            }
        }
    }

    func testSpectralShapeMatches() throws {
        try forEachSignal { signal, features in
            assertWithinRange("centroid", features.column(FrameFeatureNames.centroid), signal.centroid, signal: signal.name)
            assertWithinRange("rolloff", features.column(FrameFeatureNames.rolloff), signal.rolloff, signal: signal.name)
            assertWithinRange("bandwidth", features.column(FrameFeatureNames.bandwidth), signal.bandwidth, signal: signal.name)
            assertWithinRange("flatness", features.column(FrameFeatureNames.flatness), signal.flatness, signal: signal.name)
        }
    }

    func testRMSAndZeroCrossingRateMatch() throws {
        try forEachSignal { signal, features in
            assertWithinRange("rms", features.column(FrameFeatureNames.rms), signal.rms, signal: signal.name)
            assertWithinRange("zcr", features.column(FrameFeatureNames.zcr), signal.zcr, signal: signal.name)
        }
    }

    func testMFCCMatchesWithin005() throws {
        try forEachSignal { signal, features in
            for coefficient in 0..<20 {
                let ours = features.column(FrameFeatureNames.mfccOffset + coefficient)
                let theirs = signal.mfcc.map { $0[coefficient] }
                let (difference, frame) = maximumDifference(ours, theirs)
                XCTAssertLessThanOrEqual(
                    difference, 0.05,
                    "\(signal.name) mfcc_\(coefficient + 1) frame \(frame): ours \(ours[frame]) librosa \(theirs[frame])")
            }
        }
    }

    func testOnsetStrengthMatches() throws {
        try forEachSignal { signal, features in
            assertWithinRange("onset", features.column(FrameFeatureNames.onset), signal.onset, signal: signal.name)
        }
    }

    /// Spectral contrast within 0.2 dB. Pure tones are left out: their spectral
    /// valleys are float32 rounding noise (about 1e-7 of the peak), where FFTW
    /// and numpy's pocketfft legitimately differ by several dB.
    func testSpectralContrastMatches() throws {
        let pureTones: Set = ["a4-sine", "chirp", "silence-then-tone"]
        var compared = 0
        try forEachSignal { signal, features in
            guard !pureTones.contains(signal.name) else { return }
            compared += 1
            for band in 0..<SpectralContrast.bandCount {
                let ours = features.column(FrameFeatureNames.contrastOffset + band)
                let (difference, frame) = maximumDifference(ours, signal.contrast.map { $0[band] })
                XCTAssertLessThanOrEqual(difference, 0.2, "\(signal.name) contrast_\(band + 1) frame \(frame)")
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 5)
    }

    func testMelDecibelsMatchMelspectrogram() throws {
        let extractor = FeatureExtractor()
        for signal in Self.reference.signals {
            guard let reference = signal.melDb else { continue }
            let samples = try AudioDecoder(path: Self.fixtures.appendingPathComponent(signal.file).path).decodeAll()
            let analyzer = FrameAnalyzer(
                configuration: extractor.configuration,
                melBank: MelFilterBank(sampleRate: 22050, fftSize: 2048),
                chromaBank: ChromaFilterBank(sampleRate: 22050, fftSize: 2048))
            var framer = CenteredFramer(configuration: extractor.configuration)
            var frames: [[Float]] = []
            var values = FrameValues(melBandCount: 128)
            samples.withUnsafeBufferPointer { block in
                framer.append(block) { frame, range in
                    analyzer.analyze(frame: frame, realRange: range, into: &values)
                    frames.append(values.melDecibels)
                }
            }
            for (index, expected) in reference.enumerated() {
                // librosa's top_db floor is the whole signal's peak - 80 dB.
                let peak = max(expected.max()!, frames.flatMap { $0 }.max()!)
                let floored = frames[index].map { max($0, peak - 80) }
                let (difference, band) = maximumDifference(floored, expected)
                XCTAssertLessThanOrEqual(difference, 0.05, "\(signal.name) frame \(index) band \(band)")
            }
        }
    }
}
