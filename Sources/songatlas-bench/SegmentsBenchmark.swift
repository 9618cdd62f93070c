import AudioDecoding
import Clustering
import Export
import Features
import Foundation
import SongAtlas

/// Scores `segment` (number of sections not given) on folders of collages
/// (collage-NN.flac + collage-NN.lab), with mir_eval's boundary hit rates:
/// each folder's mean F@3 s and F@0.5 s, untrimmed and trimmed, and how far
/// the number of cuts is off; and its labels: mir_eval's pairwise frame
/// precision, recall and F, the normalised conditional entropies (`nce`:
/// over- and under-segmentation), and the share of pieces with a repeated
/// label among those whose reference has one. Features are extracted once per
/// collage, then every cut-selection rule (and labeller) asked for runs on
/// them. The features are the ones `segment` streams (``TrackSegmenter/comparedColumns``).
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
        var labels = LabelScore()
        var perCollage: [(String, Double, Int, Int, String)] = []
    }

    /// Mean label scores over pieces.
    struct LabelScore {
        var precision = 0.0, recall = 0.0, f = 0.0, over = 0.0, under = 0.0
        /// Pieces whose reference repeats a label, and how many of them came out with a repeated label.
        var withRepeat = 0, repeatFound = 0
        /// Pieces whose reference repeats nothing, and how many of them came out with a repeated label.
        var withoutRepeat = 0, repeatInvented = 0
        var pieces = 0

        mutating func add(reference: [Section], estimate: [Section], agreement: SegmentAgreement) {
            precision += agreement.pairwise.precision
            recall += agreement.pairwise.recall
            f += agreement.pairwise.fMeasure
            over += agreement.overSegmentation
            under += agreement.underSegmentation
            pieces += 1
            let found = SegmentsBenchmark.repeats(estimate)
            if SegmentsBenchmark.repeats(reference) {
                withRepeat += 1
                if found { repeatFound += 1 }
            } else {
                withoutRepeat += 1
                if found { repeatInvented += 1 }
            }
        }

        /// "P R F over under repeats-found".
        var line: String {
            let n = Double(max(pieces, 1))
            let found = withRepeat > 0 ? String(format: "%2d/%-2d", repeatFound, withRepeat) : "  -  "
            return String(format: "%.3f  %.3f  %.3f  %.3f  %.3f  %@", precision / n, recall / n, f / n, over / n,
                          under / n, found)
        }
    }

    /// Whether some label occurs twice.
    static func repeats(_ sections: [Section]) -> Bool { Set(sections.map(\.label)).count < sections.count }

    static func score(_ collages: [Collage], segmenter: TrackSegmenter) -> Score {
        var score = Score()
        for collage in collages {
            let segmentation = segmenter.segment(collage.features, durationSeconds: collage.duration)
            let agreement = SegmentAgreement(reference: collage.reference, estimate: segmentation.sections)
            score.f3 += agreement.hitRate3.fMeasure
            score.f05 += agreement.hitRate05.fMeasure
            score.f3Trimmed += agreement.hitRate3Trimmed.fMeasure
            score.f05Trimmed += agreement.hitRate05Trimmed.fMeasure
            score.labels.add(reference: collage.reference, estimate: segmentation.sections, agreement: agreement)
            let difference = Double(segmentation.sections.count - collage.reference.count)
            score.cutError += abs(difference)
            score.cutBias += difference
            score.perCollage.append((collage.name, agreement.hitRate3Trimmed.fMeasure, collage.reference.count - 1,
                                     segmentation.sections.count - 1,
                                     segmentation.sections.map(\.label).joined() + " (true "
                                        + collage.reference.map(\.label).joined() + ")"))
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

    /// The comparisons and thresholds a label sweep tries.
    static let labelComparisons: [SectionComparison] =
        [.meanVector, .meanAndSpread, .bestMatch(windowBlocks: 1), .bestMatch(windowBlocks: 4),
         .bestMatch(windowBlocks: 8), .bestMatch(windowBlocks: 16)]
    static let labelThresholds: [Double] = stride(from: 0.0, through: 0.9, by: 0.05).map { $0 }

    /// Tries every labeller of the label sweep on the default cuts and on the true cuts of each set; the cuts
    /// are made once, the section similarities once per comparison, then only the grouping runs per threshold.
    static func runLabelSweep(sets: [(String, [Collage])]) {
        let segmenter = TrackSegmenter()
        print("\nlabel sweep: pairwise P, R, F, NCE over, under, pieces with a repeat found / with one")
        print("comparison                        thresh  set                cuts   P      R      F      over   under  repeats")
        for (folder, collages) in sets {
            let estimated = collages.map { segmenter.segment($0.features, durationSeconds: $0.duration).sections }
            for comparison in labelComparisons {
                for (cuts, sectionsOf) in [("found", { (index: Int) in estimated[index] }),
                                           ("true", { (index: Int) in collages[index].reference })] {
                    let similarities = collages.indices.map { index in
                        segmenter.sectionSimilarities(collages[index].features, sections: sectionsOf(index),
                                                      comparison: comparison)
                    }
                    for threshold in labelThresholds {
                        var score = LabelScore()
                        for index in collages.indices {
                            var sections = sectionsOf(index)
                            let labels = SectionLabeller.group(similarity: similarities[index], count: sections.count,
                                                               threshold: threshold)
                            for (position, label) in labels.enumerated() { sections[position].label = label }
                            score.add(reference: collages[index].reference, estimate: sections,
                                      agreement: SegmentAgreement(reference: collages[index].reference,
                                                                  estimate: sections))
                        }
                        print(String(format: "%-33@ %.2f    %-18@ %-5@  %@", comparison.description as NSString,
                                     threshold, (folder as NSString).lastPathComponent as NSString,
                                     cuts as NSString, score.line as NSString))
                    }
                }
            }
        }
    }

    /// The rules a sweep tries.
    static let sweep: [CutSelection] =
        [0.45].map { CutSelection.fractionOfHighestPeak($0) }
        + [1.0, 1.5, 2.0].map { CutSelection.aboveCurveMean(deviations: $0) }
        + [0.0, 0.5, 1.0].flatMap { exponent in
            [3, 4, 5, 6, 7, 8, 10].map { CutSelection.penalisedCost(penalty: $0, lengthExponent: exponent) }
        }

    static func run(folders: [String], sweep runSweep: Bool, labelSweep: Bool = false, verbose: Bool) throws {
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
        print("rule                                                    set                F@3    F@0.5  F@3 tr F@0.5 tr |cuts-true| bias   "
            + "| pair P pair R pair F over   under  repeats found")
        for rule in rules {
            var segmenter = TrackSegmenter()
            segmenter.cutSelection = rule
            for (folder, collages) in sets {
                let score = score(collages, segmenter: segmenter)
                print(String(format: "%-55@ %-18@ %.3f  %.3f  %.3f  %.3f    %5.2f    %+5.2f  | %@", "\(rule)" as NSString,
                             (folder as NSString).lastPathComponent as NSString,
                             score.f3, score.f05, score.f3Trimmed, score.f05Trimmed, score.cutError, score.cutBias,
                             score.labels.line as NSString))
                if verbose {
                    for (name, f, truth, found, labels) in score.perCollage {
                        print(String(format: "    %@  F@3 trimmed %.3f  cuts %d (true %d)  %@", name, f, found, truth,
                                     labels as NSString))
                    }
                }
            }
        }
        if labelSweep { runLabelSweep(sets: sets) }
    }
}
