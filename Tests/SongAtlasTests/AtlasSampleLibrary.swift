import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// SampleAudio/ analysed once per test process through ``Atlas``, with its style labels.
///
/// The `Atlas*Tests` classes call the library directly on it (no binary, no
/// cache): 18 synthetic clips in six labelled styles (`labels.csv`), three of
/// them structured tracks with section annotations (`*.sections.tsv`).
enum AtlasSampleLibrary {
    /// The folder of the sample clips.
    static let folder = repositoryRoot.appendingPathComponent("SampleAudio")

    /// Every clip analysed, sorted by path, and the failures (none expected).
    static let analysis: (tracks: [TrackAnalysis], failures: [AnalysisFailure]) = {
        let report = Atlas.analyze(paths: [folder.path])
        return (report.tracks.sorted { $0.path < $1.path }, report.failures)
    }()

    /// The analysed clips; fails the calling test when any clip could not be analysed.
    static func tracks(file: StaticString = #filePath, line: UInt = #line) throws -> [TrackAnalysis] {
        XCTAssertEqual(analysis.failures.map(\.path), [], "SampleAudio clips that failed to analyse", file: file, line: line)
        let tracks = analysis.tracks
        XCTAssertEqual(tracks.count, 18, "SampleAudio clips analysed", file: file, line: line)
        return tracks
    }

    /// The style of each clip by absolute standardised path, from `labels.csv`.
    static func labels() throws -> [String: String] {
        try ReferenceLabels.load(csv: folder.appendingPathComponent("labels.csv").path)
    }

    /// The style of `track` (from `labels.csv`), or nil for an unlabelled clip.
    static func label(of path: String, in labels: [String: String]) -> String? {
        labels[URL(fileURLWithPath: path).standardizedFileURL.path]
    }

    /// The annotated sections of a structured clip: `(start, end, label)` per line of its `.sections.tsv`.
    static func sections(of name: String) throws -> [(start: Double, end: Double, label: String)] {
        let text = try String(contentsOf: folder.appendingPathComponent("\(name).sections.tsv"), encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).map { line in
            let fields = line.split(separator: "\t")
            guard fields.count == 3, let start = Double(fields[0]), let end = Double(fields[1]) else {
                throw SectionsFileError(file: "\(name).sections.tsv", line: String(line))
            }
            return (start, end, String(fields[2]))
        }
    }
}

/// A line of a `.sections.tsv` file that is not `start<TAB>end<TAB>label`.
struct SectionsFileError: Error, CustomStringConvertible {
    var file: String
    var line: String
    var description: String { "\(file): cannot read the line \(line)" }
}
