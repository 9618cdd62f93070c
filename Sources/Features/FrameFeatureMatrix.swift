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

    /// One column, typed: `matrix.column(.centroid)`, `matrix.column(.mfcc(2))`.
    ///
    /// - Parameter column: the column to read.
    /// - Returns: `frameCount` values, one per frame.
    /// - Complexity: O(`frameCount`).
    public func column(_ column: FrameFeatureColumn) -> [Float] { self.column(column.index) }

    /// One column by name; nil for an unknown name.
    public func column(named name: String) -> [Float]? {
        FrameFeatureNames.all.firstIndex(of: name).map(column)
    }
}
