import AudioDecoding
import Clustering
import Export
import Features
import Foundation
import SongAtlas

/// Scores `segment` (number of sections not given) on folders of collages
/// (collage-NN.flac + collage-NN.lab), with mir_eval's boundary hit rates:
/// each folder's mean F@3 s and F@0.5 s, untrimmed and trimmed, and how far
/// the number of cuts is off. Features are extracted once per collage, then
/// every cut-selection rule asked for runs on them. The features are the ones
/// `segment` streams (``TrackSegmenter/comparedColumns``).
enum SegmentsBenchmark {
    struct Collage {
        var name: String
        var features: StreamedFrameColumns
        var duration: Double
        var reference: [Section]
    }

    static func load(folder: String) throws -> [Collage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("collage-") && $0.hasSuffix(".flac") }.sorted()
        return try names.compactMap { name in
            let stem = String(name.dropLast(5))
            let lab = (folder as NSString).appendingPathComponent(stem + ".lab")
            guard FileManager.default.fileExists(atPath: lab) else { return nil }
            let (info, features) = try FeatureExtractor().streamedColumns(
                path: (folder as NSString).appendingPathComponent(name), columns: TrackSegmenter.comparedColumns)
            return Collage(name: stem, features: features, duration: info.durationSeconds,
                           reference: try SegmentFile.read(lab))
        }
    }

    struct Score {
        var f3 = 0.0, f05 = 0.0, f3Trimmed = 0.0, f05Trimmed = 0.0, cutError = 0.0, cutBias = 0.0
        var perCollage: [(String, Double, Int, Int)] = []
    }

    static func score(_ collages: [Collage], segmenter: TrackSegmenter) -> Score {
        var score = Score()
        for collage in collages {
            let segmentation = segmenter.segment(collage.features, durationSeconds: collage.duration)
            let agreement = SegmentAgreement(reference: collage.reference, estimate: segmentation.sections)
            score.f3 += agreement.hitRate3.fMeasure
            score.f05 += agreement.hitRate05.fMeasure
            score.f3Trimmed += agreement.hitRate3Trimmed.fMeasure
            score.f05Trimmed += agreement.hitRate05Trimmed.fMeasure
            let difference = Double(segmentation.sections.count - collage.reference.count)
            score.cutError += abs(difference)
            score.cutBias += difference
            score.perCollage.append((collage.name, agreement.hitRate3Trimmed.fMeasure, collage.reference.count - 1,
                                     segmentation.sections.count - 1))
        }
        let count = Double(max(collages.count, 1))
        score.f3 /= count
        score.f05 /= count
        score.f3Trimmed /= count
        score.f05Trimmed /= count
        score.cutError /= count
        score.cutBias /= count
        return score
    }

    /// The rules a sweep tries.
    static let sweep: [CutSelection] =
        [0.45].map { CutSelection.fractionOfHighestPeak($0) }
        + [1.0, 1.5, 2.0].map { CutSelection.aboveCurveMean(deviations: $0) }
        + [0.0, 0.5, 1.0].flatMap { exponent in
            [3, 4, 5, 6, 7, 8, 10].map { CutSelection.penalisedCost(penalty: $0, lengthExponent: exponent) }
        }

    static func run(folders: [String], sweep runSweep: Bool, verbose: Bool) throws {
        var sets: [(String, [Collage])] = []
        for folder in folders {
            let started = Date()
            let collages = try load(folder: folder)
            guard !collages.isEmpty else { throw BenchmarkError("no collage-NN.flac with a .lab in \(folder)") }
            print(String(format: "%@: %d collages, features in %.1f s", folder, collages.count,
                         Date().timeIntervalSince(started)))
            sets.append((folder, collages))
        }
        let rules = runSweep ? sweep : [CutSelection.default]
        print("rule                                                    set                F@3    F@0.5  F@3 tr F@0.5 tr |cuts-true| bias")
        for rule in rules {
            var segmenter = TrackSegmenter()
            segmenter.cutSelection = rule
            for (folder, collages) in sets {
                let score = score(collages, segmenter: segmenter)
                print(String(format: "%-55@ %-18@ %.3f  %.3f  %.3f  %.3f    %5.2f    %+5.2f", "\(rule)" as NSString,
                             (folder as NSString).lastPathComponent as NSString,
                             score.f3, score.f05, score.f3Trimmed, score.f05Trimmed, score.cutError, score.cutBias))
                if verbose {
                    for (name, f, truth, found) in score.perCollage {
                        print(String(format: "    %@  F@3 trimmed %.3f  cuts %d (true %d)", name, f, found, truth))
                    }
                }
            }
        }
    }
}
