/// Receives the frames of one signal, in order, one at a time.
///
/// ``FeatureExtractor`` frames decoded or in-memory audio with a
/// ``CenteredFramer`` and hands each frame to a sink: a ``FrameCollector``
/// (frame-level matrix) or a ``SummaryAccumulator`` (song summary).
protocol FrameSink {
    /// Takes one frame.
    ///
    /// - Parameters:
    ///   - frame: `fftSize` samples, zero padding included; valid only during the call.
    ///   - realRange: the positions in `frame` that hold real samples.
    mutating func add(frame: UnsafePointer<Float>, realRange: Range<Int>)
}
