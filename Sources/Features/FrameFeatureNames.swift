/// The names of the per-frame features, in column order.
///
/// `mfcc_1 … mfcc_20, chroma_C … chroma_B, centroid, bandwidth, rolloff,
/// flatness, zcr, rms, onset, contrast_1 … contrast_7`: the columns of
/// ``FrameFeatureMatrix`` and of `songatlas features` CSV output.
public enum FrameFeatureNames {
    public static let mfccCount = 20
    public static let pitchClasses = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    public static let mfcc = (1...mfccCount).map { "mfcc_\($0)" }
    public static let chroma = pitchClasses.map { "chroma_\($0)" }
    public static let spectral = ["centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms", "onset"]
    public static let contrast = (1...SpectralContrast.bandCount).map { "contrast_\($0)" }
    public static let all = mfcc + chroma + spectral + contrast

    /// Column offsets of each group.
    public static let mfccOffset = 0
    public static let chromaOffset = mfccCount
    public static let centroid = chromaOffset + 12
    public static let bandwidth = centroid + 1
    public static let rolloff = centroid + 2
    public static let flatness = centroid + 3
    public static let zcr = centroid + 4
    public static let rms = centroid + 5
    public static let onset = centroid + 6
    public static let contrastOffset = onset + 1
    public static let count = all.count
}

/// Frame-level features of one signal: `frameCount` rows of ``FrameFeatureNames/all``.
public struct FrameFeatureMatrix: Sendable, Equatable {
    public let configuration: STFTConfiguration
    public let frameCount: Int
    /// Row-major, `frameCount × FrameFeatureNames.count`.
    public let values: [Float]

    public init(configuration: STFTConfiguration, frameCount: Int, values: [Float]) {
        precondition(values.count == frameCount * FrameFeatureNames.count, "matrix shape mismatch")
        self.configuration = configuration
        self.frameCount = frameCount
        self.values = values
    }

    public var columnNames: [String] { FrameFeatureNames.all }

    /// Time in seconds of each frame's centre.
    public var times: [Double] { (0..<frameCount).map { configuration.framesToSeconds($0) } }

    /// One row: all features of frame `index`.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * FrameFeatureNames.count)..<((index + 1) * FrameFeatureNames.count)]
    }

    /// One column by its offset (see ``FrameFeatureNames``).
    public func column(_ offset: Int) -> [Float] {
        (0..<frameCount).map { values[$0 * FrameFeatureNames.count + offset] }
    }

    /// One column by name; nil for an unknown name.
    public func column(named name: String) -> [Float]? {
        FrameFeatureNames.all.firstIndex(of: name).map(column)
    }
}
