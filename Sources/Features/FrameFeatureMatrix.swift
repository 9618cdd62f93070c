/// Frame-level features of one signal: `frameCount` rows of ``FrameFeatureNames/all``.
///
/// Read a column by type by passing a ``FrameFeatureColumn`` to ``column(_:)``,
/// or a block of columns through ``FrameFeatureNames/columns(of:)``.
public struct FrameFeatureMatrix: Sendable, Equatable {
    /// The STFT the frames come from (frame times, frame rate).
    public let configuration: STFTConfiguration
    /// Number of rows (frames), ≥ 0.
    public let frameCount: Int
    /// Row-major, `frameCount × FrameFeatureNames.count`.
    public let values: [Float]

    /// A matrix over `values`.
    ///
    /// - Parameters:
    ///   - configuration: the STFT the frames come from.
    ///   - frameCount: rows, ≥ 0.
    ///   - values: row-major, exactly `frameCount × FrameFeatureNames.count` values.
    /// - Precondition: the shape matches (a programmer error otherwise).
    public init(configuration: STFTConfiguration, frameCount: Int, values: [Float]) {
        precondition(values.count == frameCount * FrameFeatureNames.count, "matrix shape mismatch")
        self.configuration = configuration
        self.frameCount = frameCount
        self.values = values
    }

    /// The output name of every column (``FrameFeatureNames/all``).
    public var columnNames: [String] { FrameFeatureNames.all }

    /// Time in seconds of each frame's centre.
    public var times: [Double] { (0..<frameCount).map { configuration.framesToSeconds($0) } }

    /// One row: all features of frame `index`.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * FrameFeatureNames.count)..<((index + 1) * FrameFeatureNames.count)]
    }

    /// One column by its index in a row (see ``FrameFeatureNames``).
    ///
    /// - Complexity: O(`frameCount`).
    public func column(_ offset: Int) -> [Float] {
        (0..<frameCount).map { values[$0 * FrameFeatureNames.count + offset] }
    }

    /// One column, typed: `matrix.column(.centroid)`, `matrix.column(.mfcc(2))`.
    ///
    /// - Parameter column: the column to read.
    /// - Returns: `frameCount` values, one per frame.
    /// - Complexity: O(`frameCount`).
    public func column(_ column: FrameFeatureColumn) -> [Float] { self.column(column.index) }

    /// One column by output name; nil for an unknown name.
    ///
    /// For names from outside (a user's choice, a CSV header); code should pass a ``FrameFeatureColumn`` to ``column(_:)``.
    /// - Complexity: O(`frameCount` + columns).
    public func column(named name: String) -> [Float]? {
        FrameFeatureNames.all.firstIndex(of: name).map(column)
    }
}
