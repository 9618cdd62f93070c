import Foundation

/// Deterministic test signals.
public enum Signals {
    /// A sine of `frequency` Hz.
    public static func sine(
        frequency: Double, seconds: Double, sampleRate: Int = 22050, amplitude: Double = 0.5, phase: Double = 0
    ) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        return (0..<count).map {
            Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate) + phase))
        }
    }

    /// Digital silence.
    public static func silence(seconds: Double, sampleRate: Int = 22050) -> [Float] {
        [Float](repeating: 0, count: Int(seconds * Double(sampleRate)))
    }

    /// Uniform white noise in [-amplitude, amplitude] from a seeded generator.
    public static func noise(seconds: Double, sampleRate: Int = 22050, amplitude: Float = 0.3, seed: UInt64 = 1) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<Int(seconds * Double(sampleRate))).map { _ in
            Float.random(in: -amplitude...amplitude, using: &generator)
        }
    }

    /// A drum loop at `bpm`: kick on beats 1 and 3, snare on 2 and 4, a
    /// closed hi-hat on every eighth note (quieter off the beat).
    public static func drumLoop(bpm: Double, seconds: Double, sampleRate: Int = 22050, seed: UInt64 = 7) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        var output = [Float](repeating: 0, count: count)
        var generator = SplitMix64(seed: seed)
        let beat = 60 / bpm
        func add(at time: Double, _ make: (Double) -> Double, length: Double) {
            let start = Int(time * Double(sampleRate))
            let samples = Int(length * Double(sampleRate))
            for offset in 0..<samples where start + offset < count {
                output[start + offset] += Float(make(Double(offset) / Double(sampleRate)))
            }
        }
        var beatIndex = 0
        while Double(beatIndex) * beat < seconds {
            let time = Double(beatIndex) * beat
            if beatIndex % 2 == 0 {
                // Kick: a falling sine sweep.
                add(at: time, { t in 0.8 * exp(-t * 18) * sin(2 * Double.pi * (50 * t + 60 * (1 - exp(-t * 30)) / 30)) },
                    length: 0.25)
            } else {
                // Snare: noise burst plus a 190 Hz body.
                let noise = (0..<Int(0.2 * Double(sampleRate))).map { _ in Double.random(in: -1...1, using: &generator) }
                add(at: time, { t in
                    let index = min(Int(t * Double(sampleRate)), noise.count - 1)
                    return exp(-t * 25) * (0.35 * noise[index] + 0.3 * sin(2 * Double.pi * 190 * t))
                }, length: 0.2)
            }
            for eighth in 0..<2 {
                let hatNoise = (0..<Int(0.05 * Double(sampleRate))).map { _ in Double.random(in: -1...1, using: &generator) }
                let level = eighth == 0 ? 0.2 : 0.12
                add(at: time + Double(eighth) * beat / 2, { t in
                    let index = min(Int(t * Double(sampleRate)), hatNoise.count - 1)
                    // Crude high-pass: difference of neighbouring noise samples.
                    let previous = hatNoise[max(index - 1, 0)]
                    return level * exp(-t * 80) * (hatNoise[index] - previous)
                }, length: 0.05)
            }
            beatIndex += 1
        }
        return output
    }

    /// Level in dB of the strongest component at `frequency` in `samples`,
    /// relative to a full-scale sine, by correlating with a sine and cosine
    /// over the middle of the signal (away from filter edges).
    public static func toneLevelDecibels(_ samples: [Float], frequency: Double, sampleRate: Int) -> Double {
        let margin = samples.count / 8
        let range = margin..<(samples.count - margin)
        var inPhase = 0.0
        var quadrature = 0.0
        for index in range {
            let angle = 2 * Double.pi * frequency * Double(index) / Double(sampleRate)
            inPhase += Double(samples[index]) * cos(angle)
            quadrature += Double(samples[index]) * sin(angle)
        }
        let amplitude = 2 * (inPhase * inPhase + quadrature * quadrature).squareRoot() / Double(range.count)
        return 20 * log10(max(amplitude, 1e-20))
    }
}

/// A small, fast, seedable generator (Vigna's SplitMix64).
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
