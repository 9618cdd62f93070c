import AudioDecoding
import Clustering
import Export
import Features
import Foundation
import Library
@testable import SongAtlas
import TestSupport
import XCTest

final class PlaylistBuilderTests: XCTestCase {
    /// A track whose summary is `base` plus a little seeded noise in every dimension.
    static func track(_ name: String, base: [Float], seed: UInt64, tempo: Float = 120, duration: Double = 180) -> TrackAnalysis {
        var generator = SeededGenerator(seed: seed)
        var values = base.map { $0 + Float(generator.nextUnit() - 0.5) * 0.1 }
        values[SummaryLayout.current.index(of: .tempoBPM)] = tempo
        values[SummaryLayout.current.index(of: .pulseClarity)] = 0.6
        let info = AudioFileInfo(format: "FLAC/PCM_16", sampleRate: 44100, channelCount: 2,
                                 declaredFrameCount: Int(duration * 44100), durationSeconds: duration,
                                 title: name, artist: "Tester")
        let features = TrackFeatures(info: info, summary: SongSummary(values: values),
                                     tempo: TempoEstimate(bpm: Double(tempo), pulseClarity: 0.6), analyzedSeconds: duration)
        return TrackAnalysis(path: "/music/\(name).flac", features: features)
    }

    /// `groups` clusters of `size` tracks, far apart in every dimension.
    static func library(groups: Int, size: Int) -> (tracks: [TrackAnalysis], truth: [Int]) {
        var tracks: [TrackAnalysis] = []
        var truth: [Int] = []
        for group in 0..<groups {
            var generator = SeededGenerator(seed: UInt64(100 + group))
            let base = SongSummary.names.map { _ in Float(generator.nextUnit() * 20 - 10) }
            for member in 0..<size {
                tracks.append(track("g\(group)-\(member)", base: base, seed: UInt64(group * 1000 + member),
                                    tempo: Float(80 + 20 * group)))
                truth.append(group)
            }
        }
        return (tracks, truth)
    }

    func testAutomaticKFindsSeparatedGroups() throws {
        let (tracks, truth) = Self.library(groups: 4, size: 6)
        let set = try PlaylistBuilder().build(tracks)
        XCTAssertEqual(set.playlists.count, 4)
        XCTAssertEqual(set.kScores.map(\.k), Array(2...12))
        XCTAssertEqual(PartitionAgreement(reference: truth, predicted: set.labels).adjustedRandIndex, 1)
        XCTAssertGreaterThan(set.quality!.silhouette, 0.8)
        XCTAssertEqual(set.playlists.map { $0.name.prefix(5) }, ["01 - ", "02 - ", "03 - ", "04 - "])
    }

    func testSameSeedSamePlaylists() throws {
        let (tracks, _) = Self.library(groups: 3, size: 5)
        var builder = PlaylistBuilder()
        builder.seed = 11
        builder.clusterCount = 5
        XCTAssertEqual(try builder.build(tracks).playlists, try builder.build(tracks).playlists)
    }

    func testPlaylistStartsNearestTheCentroidAndTwoOptNeverLengthens() throws {
        let (tracks, _) = Self.library(groups: 1, size: 12)
        let set = try PlaylistBuilder().build(tracks + Self.library(groups: 2, size: 12).tracks.suffix(12))
        for playlist in set.playlists {
            let nearest = playlist.tracks.min { $0.distanceToCentroid < $1.distanceToCentroid }!
            XCTAssertEqual(playlist.tracks.first, nearest)
        }
    }

    func testSmallClustersJoinTheirNeighbourWithANote() throws {
        var (tracks, _) = Self.library(groups: 2, size: 6)
        let outlierBase = SongSummary.names.map { _ in Float(50) }
        tracks.append(Self.track("outlier", base: outlierBase, seed: 9))
        var builder = PlaylistBuilder()
        builder.clusterCount = 3
        builder.minimumSize = 2
        let set = try builder.build(tracks)
        XCTAssertEqual(set.playlists.count, 2)
        XCTAssertEqual(set.playlists.map(\.tracks.count).reduce(0, +), 13)
        // What moved where is said once, in the set's merges, not as a note.
        XCTAssertEqual(set.smallMerges.map(\.songs), [["/music/outlier.flac"]])
        let joined = try XCTUnwrap(set.smallMerges.first?.playlist)
        XCTAssertTrue(set.playlists[joined].tracks.contains { $0.track.path == "/music/outlier.flac" })
        XCTAssertEqual(PlaylistDocument(set).smallMerges?.first?.into, set.playlists[joined].name)
        XCTAssertEqual(Set(set.notes).count, set.notes.count, "each note once: \(set.notes)")
        builder.minimumSize = 1
        XCTAssertEqual(try builder.build(tracks).playlists.count, 3)
    }

    func testSeedSongMakesOnePlaylistStartingThere() throws {
        let (tracks, _) = Self.library(groups: 3, size: 5)
        let set = try PlaylistBuilder().build(tracks, seedTrack: 7)
        XCTAssertEqual(set.playlists.count, 1)
        XCTAssertEqual(set.playlists[0].tracks.first?.track, tracks[7])
        XCTAssertTrue(set.playlists[0].name.hasPrefix("Seed - "))
    }

    func testEdgeCasesGiveAResultOrAClearError() throws {
        let (tracks, _) = Self.library(groups: 1, size: 3)
        XCTAssertThrowsError(try PlaylistBuilder().build([])) {
            XCTAssertEqual("\($0)", "no tracks to make playlists from")
        }
        var builder = PlaylistBuilder()
        builder.clusterCount = 5
        XCTAssertThrowsError(try builder.build(tracks)) {
            XCTAssertEqual($0 as? PlaylistBuilder.BuildError, .tooManyClusters(k: 5, trackCount: 3))
        }
        let one = try PlaylistBuilder().build([tracks[0]])
        XCTAssertEqual(one.playlists.count, 1)
        XCTAssertEqual(one.notes, ["1 song: too few to split, one playlist"])

        // Identical songs (e.g. duplicates, or all silent): one playlist, no NaN.
        let same = Array(repeating: tracks[0], count: 4)
        let set = try PlaylistBuilder().build(same)
        XCTAssertEqual(set.playlists.count, 1)
        XCTAssertEqual(set.notes, ["all 4 songs have the same features: one playlist"])
        XCTAssertTrue(set.playlists[0].tracks.allSatisfy { $0.distanceToCentroid == 0 })
    }

    func testWeightsParseAndScaleGroups() throws {
        let weights = FeatureWeights(timbre: 2, harmony: 0, rhythm: 1, loudness: 1)
        let perDimension = weights.perDimension()
        let chroma = SummaryLayout.current.indices(of: .harmony)
        XCTAssertTrue(chroma.allSatisfy { perDimension[$0] == 0 })
        let timbreCount = SummaryLayout.current.indices(of: .timbre).count
        XCTAssertEqual(perDimension[0], 2 / Double(timbreCount).squareRoot(), accuracy: 1e-12)
    }
}
