import Foundation

/// Spectral contrast: per octave band, the level difference between the
/// spectrum's peaks and its valleys.
///
/// Matches `librosa.feature.spectral_contrast(y, sr, n_fft=2048,
/// hop_length=512, fmin=200, n_bands=6, quantile=0.02)` on |STFT|: seven
/// bands (below 200 Hz, then octaves from 200 Hz, the last running to
/// Nyquist), each widened by one bin below as librosa does; in each band the
/// mean of the largest and of the smallest `max(1, round(0.02 × bins))`
/// magnitudes; contrast = dB(peak) − dB(valley). Like MFCCs, the decibels are
/// clipped 80 dB below the loudest peak (and, separately, valley) of the whole
/// track (``ContrastFloor``). Sounds with clear partials score high; noise scores low.
public struct SpectralContrast: Sendable {
    public static let bandCount = 7
    static let lowestEdgeHz = 200.0
    static let quantile = 0.02

    /// Per band: the bins it reads and how many extremes it averages.
    struct Band: Sendable {
        var bins: Range<Int>
        var extremes: Int
    }

    let bands: [Band]

    init(configuration: STFTConfiguration) {
        let binCount = configuration.binCount
        let frequencies = (0..<binCount).map { configuration.binFrequency($0) }
        var edges = [0.0]
        for octave in 0..<Self.bandCount { edges.append(Self.lowestEdgeHz * pow(2, Double(octave))) }
        var bands: [Band] = []
        for band in 0..<Self.bandCount {
            let low = edges[band]
            let high = edges[band + 1]
            let inside = (0..<binCount).filter { frequencies[$0] >= low && frequencies[$0] <= high }
            guard var first = inside.first, var last = inside.last else {
                bands.append(Band(bins: 0..<1, extremes: 1))
                continue
            }
            if band > 0 { first -= 1 }                        // one bin below, as librosa
            if band == Self.bandCount - 1 { last = binCount - 1 }
            let counted = last - first + 1                    // librosa's count, before it drops the top bin
            let extremes = max(1, Int((Self.quantile * Double(counted)).rounded(.toNearestOrEven)))
            let end = band < Self.bandCount - 1 ? last : last + 1
            bands.append(Band(bins: first..<end, extremes: extremes))
        }
        self.bands = bands
    }

    /// Writes, per band, the peak and valley magnitudes (not yet in dB).
    func measure(_ magnitude: UnsafeBufferPointer<Float>, peaks: inout [Float], valleys: inout [Float],
                 scratch: inout [Float]) {
        for (index, band) in bands.enumerated() {
            let values = UnsafeBufferPointer(rebasing: magnitude[band.bins])
            if band.extremes == 1 {
                let (smallest, largest) = Self.minimumAndMaximum(values)
                peaks[index] = largest
                valleys[index] = smallest
            } else {
                (valleys[index], peaks[index]) = Self.extremeMeans(values, count: band.extremes, scratch: &scratch)
            }
        }
    }

    /// The smallest and largest value.
    static func minimumAndMaximum(_ values: UnsafeBufferPointer<Float>) -> (Float, Float) {
        var smallest = Float.infinity
        var largest = -Float.infinity
        for value in values {
            smallest = min(smallest, value)
            largest = max(largest, value)
        }
        return (smallest, largest)
    }

    /// Means of the `count` smallest and the `count` largest values, keeping
    /// two small sorted lists; a chunk of eight that cannot change a list is
    /// passed over after one test.
    static func extremeMeans(_ values: UnsafeBufferPointer<Float>, count: Int, scratch: inout [Float]) -> (Float, Float) {
        if scratch.count < 2 * count { scratch = [Float](repeating: 0, count: 2 * count) }
        return scratch.withUnsafeMutableBufferPointer { buffer in
            let low = buffer.baseAddress!                 // ascending: low[count - 1] is the largest kept
            let high = buffer.baseAddress! + count        // descending: high[count - 1] is the smallest kept
            for slot in 0..<count {
                low[slot] = .infinity
                high[slot] = -.infinity
            }
            @inline(__always) func insertLow(_ value: Float) {
                guard value < low[count - 1] else { return }
                var position = count - 1
                while position > 0 && low[position - 1] > value {
                    low[position] = low[position - 1]
                    position -= 1
                }
                low[position] = value
            }
            @inline(__always) func insertHigh(_ value: Float) {
                guard value > high[count - 1] else { return }
                var position = count - 1
                while position > 0 && high[position - 1] < value {
                    high[position] = high[position - 1]
                    position -= 1
                }
                high[position] = value
            }
            // Spectra fall with frequency, so peaks are met early going up and
            // valleys early going down: each list fills with near-final values
            // at once, and later chunks of eight are passed over after one test.
            let chunks = values.count / 8
            let start = values.baseAddress!
            for chunk in 0..<chunks {
                let base = start + chunk * 8
                var largest = base[0]
                for lane in 1..<8 { largest = max(largest, base[lane]) }
                if largest > high[count - 1] { for lane in 0..<8 { insertHigh(base[lane]) } }
            }
            for index in (chunks * 8)..<values.count { insertHigh(values[index]) }
            for index in stride(from: values.count - 1, through: chunks * 8, by: -1) { insertLow(values[index]) }
            for chunk in stride(from: chunks - 1, through: 0, by: -1) {
                let base = start + chunk * 8
                var smallest = base[0]
                for lane in 1..<8 { smallest = min(smallest, base[lane]) }
                if smallest < low[count - 1] { for lane in 0..<8 { insertLow(base[lane]) } }
            }
            var lowSum: Float = 0
            var highSum: Float = 0
            for slot in 0..<count {
                lowSum += low[slot]
                highSum += high[slot]
            }
            return (lowSum / Float(count), highSum / Float(count))
        }
    }
}

/// The 80 dB floors of spectral contrast: librosa converts the peak and the
/// valley matrices to dB separately, each clipped below its own maximum.
struct ContrastFloor {
    var peaks = MelDecibelFloor()
    var valleys = MelDecibelFloor()

    /// Contrast in dB per band from peak and valley decibels (unclipped).
    func contrast(peakDecibels: UnsafePointer<Float>, valleyDecibels: UnsafePointer<Float>,
                  into output: UnsafeMutablePointer<Float>) {
        for band in 0..<SpectralContrast.bandCount {
            output[band] = max(peakDecibels[band], peaks.floor) - max(valleyDecibels[band], valleys.floor)
        }
    }
}

