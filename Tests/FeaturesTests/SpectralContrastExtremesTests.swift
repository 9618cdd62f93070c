@testable import Features
import SyntheticAudio
import XCTest

/// Spectral contrast's extreme means against a plain sort on seeded random
/// data (a guard for any rewrite of the chunk test that passes over chunks).
///
/// The kept lists are summed in sorted order, as the reference sums the first
/// `count` sorted values, so the means agree bit for bit. The data include
/// falling spectra (the common case, where most chunks are passed over),
/// rising ones (every chunk changes a list), ties and lengths that are not
/// multiples of eight (the scalar tails).
final class SpectralContrastExtremesTests: XCTestCase {
    /// Means of the `count` smallest and largest values by sorting.
    static func referenceMeans(_ values: [Float], count: Int) -> (Float, Float) {
        let ascending = values.sorted()
        let descending = values.sorted(by: >)
        var low: Float = 0
        var high: Float = 0
        for slot in 0..<count {
            low += ascending[slot]
            high += descending[slot]
        }
        return (low / Float(count), high / Float(count))
    }

    func testExtremeMeansMatchASortOnRandomSpectra() {
        var generator = SplitMix64(seed: 25)
        var scratch: [Float] = []
        for length in [2, 7, 8, 9, 17, 64, 93, 372, 745] {
            for shape in ["falling", "rising", "flat", "ties"] {
                let values: [Float] = (0..<length).map { index in
                    let noise = Float.random(in: 0..<1, using: &generator)
                    switch shape {
                    case "falling": return noise / Float(index + 1)
                    case "rising": return noise * Float(index + 1)
                    case "ties": return Float(Int(noise * 4))
                    default: return noise
                    }
                }
                for count in Set([1, 2, max(1, length / 50), max(1, length / 3)]) where count <= length {
                    let (low, high) = values.withUnsafeBufferPointer {
                        SpectralContrast.extremeMeans($0, count: count, scratch: &scratch)
                    }
                    let (expectedLow, expectedHigh) = Self.referenceMeans(values, count: count)
                    XCTAssertEqual(low, expectedLow, "valley mean, \(shape), length \(length), count \(count)")
                    XCTAssertEqual(high, expectedHigh, "peak mean, \(shape), length \(length), count \(count)")
                }
            }
        }
    }
}
