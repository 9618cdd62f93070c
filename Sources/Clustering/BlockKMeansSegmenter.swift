import Foundation

/// The seed segmentation method, kept as `--method kmeans`: the track is cut
/// into blocks of ``blockSeconds``, the blocks' mean features are clustered
/// with k-means, a majority filter over ``minimumSectionSeconds`` removes
/// flickers, and runs of one cluster become sections.
public struct BlockKMeansSegmenter: Sendable {
    /// Number of distinct section labels; nil chooses 2…6 by silhouette.
    public var labelCount: Int?
    public var minimumSectionSeconds = 6.0
    public var blockSeconds = 1.0
    public var seed: UInt64 = 0
    /// Weight of each feature column after z-scoring; nil weighs all alike.
    public var columnWeights: [Double]?

    public init(labelCount: Int? = nil, minimumSectionSeconds: Double = 6.0, seed: UInt64 = 0) {
        self.labelCount = labelCount
        self.minimumSectionSeconds = minimumSectionSeconds
        self.seed = seed
    }

    public func segment(frames: FeatureMatrix, frameRate: Double, durationSeconds: Double) -> Segmentation {
        let blockFrames = max(1, Int((blockSeconds * frameRate).rounded()))
        let blockDuration = Double(blockFrames) / frameRate
        let blocks = StructureSegmenter.normalisedBlocks(frames, blockFrames: blockFrames, weights: columnWeights)
        let n = blocks.rowCount
        let times = (0..<n).map { (Double($0) + 0.5) * blockDuration }
        let single = Segmentation(sections: [Section(start: 0, end: durationSeconds, label: "A", confidence: 1)],
                                  noveltyTimes: times, novelty: [Double](repeating: 0, count: n), notes: [])
        guard n >= 4, durationSeconds >= 2 * minimumSectionSeconds else {
            var result = single
            result.notes = ["too short to split at the minimum section length (\(minimumSectionSeconds) s): one section"]
            return result
        }
        let template = KMeans(clusterCount: 2, restarts: 5, seed: seed)
        var labels: [Int]
        do {
            if let k = labelCount {
                var kMeans = template
                kMeans.clusterCount = min(k, n)
                labels = try kMeans.fit(blocks, jobs: 1).labels
            } else {
                labels = try ClusterCountSelection.select(data: blocks, range: 2...6, kMeans: template, jobs: 1).best.labels
            }
        } catch {
            var result = single
            result.notes = ["\(error): one section"]
            return result
        }
        // Majority filter over a minimum section.
        let radius = max(1, Int((minimumSectionSeconds / blockDuration / 2).rounded()))
        labels = labels.indices.map { index in
            var votes: [Int: Int] = [:]
            for other in max(0, index - radius)...min(n - 1, index + radius) { votes[labels[other], default: 0] += 1 }
            return votes.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
        }
        // Runs of one label become sections; runs shorter than the minimum join the previous one.
        var runs: [(start: Int, end: Int, label: Int)] = []
        for (index, label) in labels.enumerated() {
            if let last = runs.last, last.label == label {
                runs[runs.count - 1].end = index + 1
            } else {
                runs.append((index, index + 1, label))
            }
        }
        let minimumBlocks = Int((minimumSectionSeconds / blockDuration).rounded())
        var merged: [(start: Int, end: Int, label: Int)] = []
        for run in runs {
            if let last = merged.last, run.end - run.start < minimumBlocks || last.label == run.label {
                merged[merged.count - 1].end = run.end
            } else {
                merged.append(run)
            }
        }
        let names = StructureSegmenter.namesByFirstAppearance(merged.map(\.label))
        let sections = merged.enumerated().map { index, run in
            Section(start: index == 0 ? 0 : Double(run.start) * blockDuration,
                    end: index == merged.count - 1 ? durationSeconds : Double(run.end) * blockDuration,
                    label: names[index], confidence: 1)
        }
        return Segmentation(sections: sections, noveltyTimes: times, novelty: [Double](repeating: 0, count: n), notes: [])
    }
}
