// The checks of the `labels` fuzz target (Fuzz/LabelFilesFuzzer.swift), shared
// with LabelFileFuzzRegressionTests, which replays Fuzz/labels-corpus and
// Fuzz/labels-findings. scripts/fuzz compiles this file with the target, so it
// imports only Clustering, Export and Foundation.
import Clustering
import Export
import Foundation

/// What any bytes handed to SongAtlas's label readers must give: a checked value or an error, never a trap.
enum LabelFileFuzzChecks {
    struct Violation: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads `bytes` as a segmentation file, a reference CSV and a playlists.json, and checks each result.
    ///
    /// - Throws: ``Violation`` when a reader returns a value that breaks its contract
    ///   (a section out of bounds or out of order, a score outside [0, 1], a duration out of bounds).
    static func check(_ bytes: [UInt8]) throws {
        let data = Data(bytes)
        if let sections = try? SegmentFile.parse(data, name: "fuzz") {
            try checkSections(sections)
            // evaluate segments on what was read: against itself, and against a fixed two-section estimate.
            try checkScores(SegmentAgreement(reference: sections, estimate: sections), perfect: true)
            let end = sections.last!.end
            let estimate = [Section(start: 0, end: end / 2, label: "A", confidence: 1),
                            Section(start: end / 2, end: end, label: "B", confidence: 1)]
            try checkScores(SegmentAgreement(reference: sections, estimate: estimate), perfect: false)
            try checkScores(SegmentAgreement(reference: estimate, estimate: sections), perfect: false)
        }
        if let rows = try? ReferenceLabelFile.parse(data, name: "fuzz") {
            for row in rows where row.path.isEmpty || row.line < 1 {
                throw Violation(description: "reference row \(row) has an empty path or no line")
            }
        }
        if let document = try? PlaylistDocument.parse(data, name: "fuzz") {
            for track in document.playlists.flatMap(\.tracks) {
                guard track.durationSeconds.isFinite, track.durationSeconds >= 0,
                      track.durationSeconds <= SegmentFile.maximumSeconds else {
                    throw Violation(description: "playlists.json duration \(track.durationSeconds) passed the check")
                }
            }
        }
    }

    /// Every section finite, within 0…``SegmentFile/maximumSeconds``, non-empty and in order.
    static func checkSections(_ sections: [Section]) throws {
        guard !sections.isEmpty else { throw Violation(description: "no sections, yet no error") }
        var previousEnd = 0.0
        for section in sections {
            guard section.start.isFinite, section.end.isFinite, section.start >= 0,
                  section.end <= SegmentFile.maximumSeconds, section.end > section.start,
                  section.start >= previousEnd - 1e-9 else {
                throw Violation(description: "section \(section.start)–\(section.end) after \(previousEnd) passed the checks")
            }
            previousEnd = section.end
        }
    }

    /// Every score finite and within [0, 1]; a segmentation against itself scores 1 on pairwise F
    /// whenever it spans at least two frames.
    static func checkScores(_ scores: SegmentAgreement, perfect: Bool) throws {
        let values = [scores.hitRate05, scores.hitRate05Trimmed, scores.hitRate3, scores.hitRate3Trimmed, scores.pairwise]
            .flatMap { [$0.precision, $0.recall, $0.fMeasure] }
            + [scores.overSegmentation, scores.underSegmentation, scores.entropyF]
        for value in values where !(value.isFinite && value >= -1e-9 && value <= 1 + 1e-9) {
            throw Violation(description: "a score is \(value): \(scores)")
        }
        if perfect, scores.hitRate05.fMeasure < 1 - 1e-9 {
            throw Violation(description: "a segmentation against itself has hit rate F \(scores.hitRate05.fMeasure)")
        }
    }
}
