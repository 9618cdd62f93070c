import AudioDecoding
import Clustering
import Features

extension TrackSegmenter {
    /// The length a segmentation covers: the excerpt's (or the track's) length from the header,
    /// or the framed length when the decode ran longer; as ``segment(path:excerptSeconds:timeLimitSeconds:cancellation:)`` takes it.
    ///
    /// - Parameters:
    ///   - info: the file's header after the decode (exact duration after a full decode).
    ///   - excerptSeconds: the excerpt asked for, or nil for the whole track.
    ///   - streamed: the frames streamed.
    /// - Returns: seconds, ≥ 0.
    public static func analysedDuration(info: AudioFileInfo, excerptSeconds: Double?,
                                        streamed: StreamedFrameColumns) -> Double {
        let configuration = streamed.configuration
        let framed = Double(streamed.frameCount - 1) * Double(configuration.hopLength) / Double(configuration.sampleRate)
        return max(excerptSeconds.map { min($0, info.durationSeconds) } ?? info.durationSeconds, framed)
    }

    /// The highlight of a track whose compared columns are already streamed (``comparedColumns``, in that
    /// order; for example by ``FeatureExtractor/summarize(path:decodeOptions:embedding:keepingColumns:)``):
    /// segments them and chooses the excerpt as ``segment(path:excerptSeconds:timeLimitSeconds:cancellation:)`` does.
    ///
    /// Gives the same highlight as `segment --highlight` for the same file and options, without a second decode.
    /// - Parameters:
    ///   - streamed: the compared columns and levels of every frame.
    ///   - durationSeconds: the length analysed (``analysedDuration(info:excerptSeconds:streamed:)``), > 0.
    ///   - seconds: the excerpt's length, > 0.
    /// - Returns: the excerpt, in seconds from the start of the analysed audio.
    public func highlight(streamed: StreamedFrameColumns, durationSeconds: Double, seconds: Double) -> Highlight {
        let segmentation = segment(streamed, durationSeconds: durationSeconds)
        return Highlight.choose(sections: segmentation.sections, levels: streamed.levels,
                                frameRate: streamed.configuration.frameRate, durationSeconds: durationSeconds,
                                seconds: seconds)
    }

    /// The whole result of ``segment(path:excerptSeconds:timeLimitSeconds:cancellation:)`` from columns already
    /// streamed (``comparedColumns``, in that order): sections, overview, levels and, when asked for, the highlight.
    ///
    /// - Parameters:
    ///   - info: the file's header after the decode.
    ///   - streamed: the compared columns and levels of every frame.
    ///   - excerptSeconds: the excerpt the decode took, or nil for the whole track.
    /// - Returns: what ``segment(path:excerptSeconds:timeLimitSeconds:cancellation:)`` returns for the same decode.
    public func result(info: AudioFileInfo, streamed: StreamedFrameColumns, excerptSeconds: Double?) -> Result {
        let duration = Self.analysedDuration(info: info, excerptSeconds: excerptSeconds, streamed: streamed)
        let matrix = FeatureMatrix(rowCount: streamed.frameCount, columnCount: streamed.columns.count,
                                   values: streamed.values)
        let overview = SelfSimilarityOverview.compute(frames: matrix, weights: Self.columns.map(\.weight))
        let segmentation = segment(streamed, durationSeconds: duration)
        let frameRate = streamed.configuration.frameRate
        let highlight = highlightSeconds.map {
            Highlight.choose(sections: segmentation.sections, levels: streamed.levels, frameRate: frameRate,
                             durationSeconds: duration, seconds: $0)
        }
        return Result(info: info, segmentation: segmentation, durationSeconds: duration,
                      overviewCells: overview.cells, overview: overview.values,
                      levels: streamed.levels, frameRate: frameRate, highlight: highlight)
    }
}
