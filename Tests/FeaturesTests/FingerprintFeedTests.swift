@testable import Features
import TestSupport
import XCTest

/// ``FingerprintFeed`` gives Chromaprint exactly the samples the first fingerprinter did (the
/// straightforward tap-by-tap filter below, kept here as the reference), whatever the block sizes,
/// so fingerprints already in caches stay comparable (``AudioFingerprint/version`` unchanged).
final class FingerprintFeedTests: XCTestCase {
    /// The first fingerprinter's conversion, sample by sample: the half-band filter over all seven taps
    /// with its history carried between blocks, every other sample kept, `rounded()` and clipped.
    struct ReferenceFeed {
        let taps: [Float] = [-1, 0, 9, 16, 9, 0, -1].map { $0 / 32 }
        var history = [Float](repeating: 0, count: 6)
        var evenPhase = true

        static func quantised(_ sample: Float) -> Int16 {
            let value = sample * 32767
            return value.isFinite ? Int16(max(-32768, min(32767, value.rounded()))) : 0
        }

        mutating func convert(_ block: [Float], halving: Bool) -> [Int16] {
            guard halving else { return block.map(Self.quantised) }
            let reach = taps.count - 1
            var out: [Int16] = []
            for index in 0..<block.count {
                defer { evenPhase.toggle() }
                guard evenPhase else { continue }
                var sum: Float = 0
                for tap in 0...reach {
                    let position = index - tap
                    let sample = position >= 0 ? block[position] : history[reach + position]
                    sum += taps[tap] * (sample.isFinite ? sample : 0)
                }
                out.append(Self.quantised(sum))
            }
            if block.count >= reach {
                for tap in 0..<reach { history[tap] = block[block.count - reach + tap] }
            } else {
                history.removeFirst(block.count)
                history.append(contentsOf: block)
            }
            return out
        }
    }

    /// A signal with music-like levels, clipping, non-finite samples and exact halves of a step.
    func signal(count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        var samples = (0..<count).map { index -> Float in
            let tone = 0.6 * sin(Float(index) * 0.031) + 0.3 * sin(Float(index) * 0.47)
            return tone + Float.random(in: -0.2...0.2, using: &generator)
        }
        for index in stride(from: 17, to: count, by: 997) { samples[index] = .nan }
        for index in stride(from: 29, to: count, by: 1301) { samples[index] = .infinity }
        for index in stride(from: 41, to: count, by: 577) { samples[index] = 1.7 }
        for index in stride(from: 53, to: count, by: 613) { samples[index] = 0.5 / 32767 }
        return samples
    }

    func testTheFeedGivesTheReferenceSamplesForAnySplitIntoBlocks() {
        let samples = signal(count: 40_000, seed: 3)
        for halving in [true, false] {
            var reference = ReferenceFeed()
            let expected = reference.convert(samples, halving: halving)
            XCTAssertEqual(expected.count, halving ? 20_000 : 40_000)
            // Blocks of 1 to 6 samples (shorter than the filter), odd and even sizes, and large ones.
            for sizes in [[1], [2, 3, 5], [7, 1, 4096], [16384], [6, 6, 1, 13]] {
                var feed = FingerprintFeed(halving: halving)
                var produced: [Int16] = []
                var offset = 0, turn = 0
                samples.withUnsafeBufferPointer { all in
                    while offset < all.count {
                        let count = min(sizes[turn % sizes.count], all.count - offset)
                        let made = feed.convert(UnsafeBufferPointer(rebasing: all[offset..<(offset + count)]))
                        produced.append(contentsOf: feed.output.prefix(made))
                        offset += count
                        turn += 1
                    }
                }
                XCTAssertEqual(produced, expected, "halving \(halving), blocks \(sizes)")
            }
            // A reset starts the filter afresh: the same track again gives the same samples.
            var feed = FingerprintFeed(halving: !halving)
            _ = samples.withUnsafeBufferPointer { feed.convert(UnsafeBufferPointer(rebasing: $0[0..<333])) }
            feed.reset(halving: halving)
            let again = samples.withUnsafeBufferPointer { feed.convert($0) }
            XCTAssertEqual(Array(feed.output.prefix(again)), expected)
        }
    }

    func testQuantisingRoundsHalvesAwayFromZeroAndClips() {
        var values: [Float] = [0, -0.0, 1, -1, 2, -2, .nan, .infinity, -.infinity, .greatestFiniteMagnitude]
        for step in -4...4 {
            // Exact halves of a step, and the floats either side of them.
            let half = (Float(step) + 0.5) / 32767
            values += [half, half.nextUp, half.nextDown, Float(step) / 32767]
        }
        var generator = SplitMix64(seed: 9)
        values += (0..<20_000).map { _ in Float.random(in: -1.2...1.2, using: &generator) }
        for value in values {
            XCTAssertEqual(FingerprintFeed.quantised(value), ReferenceFeed.quantised(value), "\(value)")
        }
        XCTAssertEqual(FingerprintFeed.quantised(0.5 / 32767 * 1.0000001), 1)
        XCTAssertEqual(FingerprintFeed.quantised(3), 32767)
        XCTAssertEqual(FingerprintFeed.quantised(-3), -32768)
        XCTAssertEqual(FingerprintFeed.quantised(.nan), 0)
    }
}
