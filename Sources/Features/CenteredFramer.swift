/// Cuts a stream of samples into centred, overlapping frames.
///
/// The signal is treated as padded with `fftSize / 2` zeros at both ends,
/// as librosa does with `center=True`. Samples arrive in blocks of any size
/// through ``append(_:emit:)``; each complete frame is handed to `emit`
/// together with the range of its positions that hold real samples (the rest
/// is padding). Memory stays at about two frames.
struct CenteredFramer {
    let configuration: STFTConfiguration
    /// Padded samples not yet consumed; index 0 is padded position `bufferStart`.
    private var buffer: [Float]
    private var bufferStart = 0
    /// Real samples received so far.
    private(set) var sampleCount = 0
    /// Frames emitted so far.
    private(set) var frameCount = 0

    init(configuration: STFTConfiguration) {
        self.configuration = configuration
        buffer = [Float](repeating: 0, count: configuration.fftSize / 2)
        buffer.reserveCapacity(configuration.fftSize * 4)
    }

    /// Adds samples and emits every frame that is now complete.
    mutating func append(
        _ samples: UnsafeBufferPointer<Float>,
        emit: (_ frame: UnsafePointer<Float>, _ realRange: Range<Int>) throws -> Void
    ) rethrows {
        buffer.append(contentsOf: samples)
        sampleCount += samples.count
        try drain(limit: .max, emit: emit)
    }

    /// Pads the end with zeros and emits the remaining frames, so that the
    /// total is `1 + sampleCount / hopLength`.
    mutating func finish(emit: (_ frame: UnsafePointer<Float>, _ realRange: Range<Int>) throws -> Void) rethrows {
        buffer.append(contentsOf: repeatElement(0, count: configuration.fftSize / 2 + configuration.hopLength))
        try drain(limit: configuration.frameCount(sampleCount: sampleCount), emit: emit)
    }

    private mutating func drain(
        limit: Int, emit: (_ frame: UnsafePointer<Float>, _ realRange: Range<Int>) throws -> Void
    ) rethrows {
        let size = configuration.fftSize
        let hop = configuration.hopLength
        let padding = size / 2
        let paddedEnd = bufferStart + buffer.count
        try buffer.withUnsafeBufferPointer { samples in
            while frameCount < limit {
                let start = frameCount * hop              // padded position of the frame's first sample
                guard start + size <= paddedEnd else { break }
                let realStart = min(max(padding - start, 0), size)
                let realEnd = max(min(padding + sampleCount - start, size), realStart)
                try emit(samples.baseAddress! + (start - bufferStart), realStart..<realEnd)
                frameCount += 1
            }
        }
        let consumed = frameCount * hop - bufferStart
        if consumed > 8 * size {
            buffer.removeFirst(consumed)
            bufferStart += consumed
        }
    }
}
