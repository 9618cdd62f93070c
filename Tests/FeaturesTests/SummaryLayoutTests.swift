@testable import Features
import XCTest

/// The typed layout must describe exactly the vector version 2 has always had.
final class SummaryLayoutTests: XCTestCase {
    /// The names version 2 was defined with, spelled out the old way.
    private let versionTwoNames = FrameFeatureNames.all.flatMap { ["\($0)_mean", "\($0)_std"] }
        + ["tempo_bpm", "pulse_clarity", "silent_fraction"]

    func testCurrentLayoutIsVersionTwoWithItsNames() {
        let layout = SummaryLayout.current
        XCTAssertEqual(layout.version, 2)
        XCTAssertEqual(SongSummary.version, 2)
        XCTAssertEqual(layout.names, versionTwoNames)
        XCTAssertEqual(SongSummary.names, versionTwoNames)
        XCTAssertEqual(layout.dimensionCount, 95)
        XCTAssertEqual(layout.groups.count, layout.dimensionCount)
        XCTAssertEqual(SummaryLayout.forVersion(2), layout)
        XCTAssertNil(SummaryLayout.forVersion(1))
    }

    func testEveryDimensionSitsWhereItsNameSits() {
        let layout = SummaryLayout.current
        for (position, dimension) in layout.dimensions.enumerated() {
            XCTAssertEqual(layout.index(of: dimension), position, dimension.name)
            XCTAssertEqual(versionTwoNames[position], dimension.name)
        }
        XCTAssertEqual(layout.index(of: .tempoBPM), versionTwoNames.firstIndex(of: "tempo_bpm"))
        XCTAssertEqual(layout.index(of: .mean(.centroid)), versionTwoNames.firstIndex(of: "centroid_mean"))
        XCTAssertEqual(layout.index(of: .standardDeviation(.mfcc(2))), versionTwoNames.firstIndex(of: "mfcc_2_std"))
        XCTAssertEqual(layout.index(of: .mean(.chroma(9))), versionTwoNames.firstIndex(of: "chroma_A_mean"))
        XCTAssertEqual(layout.index(of: .mean(.contrast(7))), versionTwoNames.firstIndex(of: "contrast_7_mean"))
    }

    /// The groups are those the name-prefix rule used to give.
    func testGroupsMatchTheFormerPrefixRule() {
        func formerGroup(_ name: String) -> FeatureGroup {
            if name.hasPrefix("chroma_") { return .harmony }
            if name.hasPrefix("onset_") || name == "tempo_bpm" || name == "pulse_clarity" { return .rhythm }
            if name.hasPrefix("rms_") || name == "silent_fraction" { return .loudness }
            if name.hasPrefix("contrast_") { return .texture }
            return .timbre
        }
        let layout = SummaryLayout.current
        XCTAssertEqual(layout.groups, versionTwoNames.map(formerGroup))
        for group in FeatureGroup.allCases {
            XCTAssertEqual(layout.indices(of: group), versionTwoNames.indices.filter { formerGroup(versionTwoNames[$0]) == group })
        }
    }

    func testFrameColumnsAreTyped() {
        XCTAssertEqual(FrameFeatureColumn.all.map(\.name), FrameFeatureNames.all)
        XCTAssertEqual(FrameFeatureColumn.all.map(\.index), Array(0..<FrameFeatureNames.count))
        XCTAssertEqual(FrameFeatureNames.columns(of: .mfcc), 0..<20)
        XCTAssertEqual(FrameFeatureNames.columns(of: .chroma), 20..<32)
        XCTAssertEqual(FrameFeatureNames.columns(of: .zeroCrossingRate), FrameFeatureNames.zcr..<(FrameFeatureNames.zcr + 1))
        XCTAssertEqual(FrameFeatureNames.columns(of: .contrast), 39..<46)
        XCTAssertEqual(FrameFeatureNames.spectral, ["centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms", "onset"])
    }

    func testSummaryReadsByType() {
        let values = (0..<SummaryLayout.current.dimensionCount).map(Float.init)
        let summary = SongSummary(values: values)
        XCTAssertEqual(summary[.tempoBPM], summary["tempo_bpm"])
        XCTAssertEqual(summary[.standardDeviation(.rms)], summary["rms_std"])
        XCTAssertEqual(summary[.silentFraction], Float(SummaryLayout.current.dimensionCount - 1))
    }

    /// A layout is blocks: a differently composed one gets its indices from the blocks alone.
    func testLayoutOfOtherBlocks() {
        let layout = SummaryLayout(version: 99, blocks: [.tempoBPM, .frameStatistics(.chroma), .silentFraction])
        XCTAssertEqual(layout.dimensionCount, 1 + 24 + 1)
        XCTAssertEqual(layout.index(of: .mean(.chroma(0))), 1)
        XCTAssertEqual(layout.index(of: .standardDeviation(.chroma(11))), 24)
        XCTAssertEqual(layout.indices(of: .loudness), [25])
        XCTAssertFalse(layout.contains(.pulseClarity))
        XCTAssertEqual(layout.names.first, "tempo_bpm")
    }
}
