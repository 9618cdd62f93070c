/// The floor librosa's `power_to_db(top_db=80)` puts under decibels (mel bands, contrast peaks or valleys):
/// 80 dB below the loudest value of the whole spectrogram.
///
/// Frame-level extraction sees the whole track and uses the true maximum, so
/// it matches librosa exactly. Streaming summaries see the track once, front
/// to back, and use the loudest value so far; the two agree from the
/// loudest frame on, and before it only where a band is more than 80 dB
/// below the eventual peak.
struct MelDecibelFloor {
    static let topDecibels: Float = 80
    private(set) var maximum = -Float.infinity

    mutating func observe(_ decibels: UnsafeBufferPointer<Float>) {
        if let peak = decibels.max() { maximum = max(maximum, peak) }
    }

    var floor: Float { maximum - Self.topDecibels }

    /// Clips `decibels` into `output` at the floor.
    func clip(_ decibels: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Float>) {
        let floor = self.floor
        for band in 0..<count { output[band] = max(decibels[band], floor) }
    }
}
