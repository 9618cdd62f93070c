import Clustering
import Export
import SongAtlas
import XCTest

/// The segment document's sections are Export's own type (``SegmentSection``); tests written
/// against the segmenters' `Section` reach them through these bridges.
extension SegmentationDocument {
    /// A document whose sections are given as the segmenters report them.
    init(path: String, method: String, durationSeconds: Double, sections: [Section], novelty: Curve,
         highlight: SegmentHighlight? = nil, notes: [String]) {
        self.init(path: path, method: method, durationSeconds: durationSeconds, sections: sections.map(SegmentSection.init),
                  novelty: novelty, highlight: highlight, notes: notes)
    }
}

extension AtlasSegmentTests {
    /// ``assertTiles(_:durationSeconds:file:line:)`` for a document's sections.
    func assertTiles(_ sections: [SegmentSection], durationSeconds: Double, file: StaticString = #filePath,
                     line: UInt = #line) {
        assertTiles(sections.map { Section(start: $0.start, end: $0.end, label: $0.label, confidence: $0.confidence) },
                    durationSeconds: durationSeconds, file: file, line: line)
    }
}
