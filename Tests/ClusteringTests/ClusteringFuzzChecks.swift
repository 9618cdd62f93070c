// The checks of the clustering fuzz target, shared by the fuzzer
// (Fuzz/ClusteringFuzzer.swift, which scripts/fuzz compiles with this file)
// and by ClusteringFuzzRegressionTests, which replays the committed inputs.
import Clustering
import Foundation

/// A broken promise of the clustering code, found by ``ClusteringFuzzChecks``.
struct ClusteringFuzzFailure: Error, CustomStringConvertible {
    var description: String
}

/// Reads bytes as a feature matrix and runs every consumer of features on it
/// as the pipeline does: k-means, the quality scores, playlist ordering and
/// the self-organizing map on its z-scores (playlists and the song map
/// standardise first, and squared distances of raw values near 1e30 would
/// overflow Float), and both segmenters on the raw values (they standardise
/// their blocks themselves).
///
/// Layout of an input: byte 0 picks the column count (1...16), byte 1 the
/// cluster count (1...9), byte 2 the SOM grid; the rest are 16-bit values
/// filling whole rows: one of 512 small levels, or (top bit set) a level
/// times 4e27, so that magnitudes up to about 1e30 occur. The values stay
/// finite, as the feature stage guarantees.
enum ClusteringFuzzChecks {
    static func matrix(_ bytes: [UInt8]) -> (matrix: FeatureMatrix, clusters: Int, gridSide: Int)? {
        guard bytes.count >= 5 else { return nil }
        let columns = Int(bytes[0] % 16) + 1
        let rows = (bytes.count - 3) / 2 / columns
        guard rows >= 1 else { return nil }
        let values = (0..<(rows * columns)).map { index -> Float in
            let raw = UInt16(bytes[3 + 2 * index]) | UInt16(bytes[4 + 2 * index]) << 8
            let level = Float(Int(raw % 512) - 256)
            return raw & 0x8000 != 0 ? level * 4e27 : level / 16
        }
        return (FeatureMatrix(rowCount: rows, columnCount: columns, values: values),
                Int(bytes[1] % 9) + 1, Int(bytes[2] % 6) + 1)
    }

    static func check(_ bytes: [UInt8]) throws {
        guard let (raw, clusters, gridSide) = matrix(bytes) else { return }
        let rows = raw.rowCount
        let matrix = Standardizer(fitting: raw).transform(raw)
        func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            if !condition { throw ClusteringFuzzFailure(description: message()) }
        }

        // k-means: labels in range, an inertia that is not NaN.
        if clusters <= rows {
            let result = try KMeans(clusterCount: clusters, restarts: 2, maximumIterations: 50, seed: 1).fit(matrix, jobs: 2)
            try require(result.labels.count == rows && result.labels.allSatisfy { (0..<clusters).contains($0) },
                        "k-means labels out of range")
            try require(!result.inertia.isNaN, "k-means inertia is NaN")
            let quality = ClusterQuality(data: matrix, labels: result.labels, silhouetteSampleLimit: 300, seed: 1)
            try require(!quality.silhouette.isNaN && abs(quality.silhouette) <= 1.0001,
                        "silhouette \(quality.silhouette)")
            // Ordering one cluster: a permutation that starts at its start.
            let members = (0..<rows).filter { result.labels[$0] == result.labels[0] }
            let order = PathOrdering.order(members, in: matrix, startingAt: members[0])
            try require(order.first == members[0] && order.sorted() == members, "ordering lost or repeated a song")
        }

        // The SOM: a unit for every row, errors that are not NaN.
        let map = try SelfOrganizingMap(width: gridSide, height: max(1, gridSide - 1), seed: 1).train(matrix, jobs: 2)
        try require(map.bestUnits.count == rows && map.bestUnits.allSatisfy { (0..<(map.width * map.height)).contains($0) },
                    "SOM best units out of range")
        // The topographic error is undefined (NaN) on a one-unit map, which the CLI never builds.
        try require(!map.quantizationError.isNaN && (map.width * map.height == 1 || !map.topographicError.isNaN),
                    "SOM error is NaN")

        // Both segmenters, reading the rows as frames at 4 a second: sections
        // that start at 0, touch, and do not overlap.
        let duration = Double(rows) / 4
        for (name, segmentation) in [
            ("structure", StructureSegmenter(minimumSectionSeconds: 1).segment(frames: raw, frameRate: 4,
                                                                               durationSeconds: duration)),
            ("kmeans", BlockKMeansSegmenter(minimumSectionSeconds: 1).segment(frames: raw, frameRate: 4,
                                                                              durationSeconds: duration)),
        ] {
            try require(segmentation.sections.first?.start == 0, "\(name): sections do not start at 0")
            for (previous, next) in zip(segmentation.sections, segmentation.sections.dropFirst()) {
                try require(previous.end == next.start && previous.start < previous.end,
                            "\(name): sections overlap or leave a gap")
            }
            try require(segmentation.novelty.allSatisfy(\.isFinite), "\(name): novelty is not finite")
        }
    }
}
