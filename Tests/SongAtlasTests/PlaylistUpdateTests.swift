import Clustering
import Export
import Features
import Foundation
import Library
@testable import SongAtlas
import XCTest

/// Playlists a person keeps: updates (``PlaylistUpdate``), recluster matching, ids and times.
final class PlaylistUpdateTests: XCTestCase {
    let first = Date(timeIntervalSince1970: 1_800_000_000)
    let second = Date(timeIntervalSince1970: 1_800_086_400)

    /// Groups of `size` songs far apart; `held` songs of each group are held back for a later update.
    func library(groups: Int = 3, size: Int = 7, held: Int = 2) -> (placed: [TrackAnalysis], later: [TrackAnalysis],
                                                                   group: [String: Int]) {
        let (tracks, truth) = PlaylistBuilderTests.library(groups: groups, size: size)
        var placed: [TrackAnalysis] = []
        var later: [TrackAnalysis] = []
        var group: [String: Int] = [:]
        for (index, track) in tracks.enumerated() {
            group[track.path] = truth[index]
            if index % size >= size - held { later.append(track) } else { placed.append(track) }
        }
        return (placed, later, group)
    }

    /// The document as the next run reads it back from `playlists.json`.
    func readBack(_ document: PlaylistDocument) throws -> PlaylistDocument {
        try PlaylistDocument.parse(JSONOutput.encoder().encode(document), name: "playlists.json")
    }

    func playlistOf(_ document: PlaylistDocument) -> [String: Int] {
        var result: [String: Int] = [:]
        for entry in document.playlists { for track in entry.tracks { result[track.path] = entry.id! } }
        return result
    }

    func testANewSetGetsIdsTimesAndSettings() throws {
        let (placed, _, _) = library()
        let (document, set) = try Atlas.keptPlaylists(placed, builder: PlaylistBuilder(), previous: nil, now: first)
        XCTAssertNotNil(set)
        XCTAssertEqual(document.playlists.map(\.id), Array(1...document.playlists.count).map { $0 })
        XCTAssertEqual(document.nextId, document.playlists.count + 1)
        XCTAssertEqual(document.settings, PlaylistDocument.Settings(k: "auto"))
        XCTAssertEqual(document.changes?.mode, .new)
        let stamp = PlaylistUpdate.timestamp(first)
        XCTAssertEqual(stamp, "2027-01-15T08:00:00Z")
        for entry in document.playlists {
            XCTAssertEqual(entry.created, stamp)
            XCTAssertEqual(entry.updated, stamp)
            XCTAssertTrue(entry.tracks.allSatisfy { $0.added == stamp })
        }
    }

    func testAnUpdateKeepsEveryPlacedSongAndPlacesNewOnesWithTheirGroupForEveryAlgorithm() throws {
        let clusterings: [PlaylistClustering] = [.kmeans(), .gmm(), .agglomerative(), .hdbscan(minimumClusterSize: 3)]
        for clustering in clusterings {
            var builder = PlaylistBuilder()
            builder.clustering = clustering
            let (placed, later, group) = library()
            let made = try Atlas.keptPlaylists(placed, builder: builder, previous: nil, now: first).document
            let before = try readBack(made)
            XCTAssertEqual(before.playlists.count, 3, clustering.summary)
            // One placed song is gone; the held-back songs arrive.
            let gonePath = placed[0].path
            let today = Array(placed.dropFirst()) + later
            let (after, set) = try Atlas.keptPlaylists(today, builder: builder, previous: before, now: second)
            XCTAssertNil(set, "an update does not recluster")
            let name = clustering.summary

            XCTAssertEqual(after.playlists.map(\.id), before.playlists.map(\.id), name)
            XCTAssertEqual(after.playlists.map(\.name), before.playlists.map(\.name), name)
            XCTAssertEqual(after.playlists.map(\.file), before.playlists.map(\.file), name)
            XCTAssertEqual(after.nextId, before.nextId, name)
            let was = playlistOf(before)
            let now = playlistOf(after)
            XCTAssertNil(now[gonePath], name)
            for track in today where was[track.path] != nil {
                XCTAssertEqual(now[track.path], was[track.path], "\(name): \(track.path) kept its playlist")
            }
            // The placed songs keep their order; the new ones are slotted in.
            for (old, new) in zip(before.playlists, after.playlists) {
                let keptOrder = new.tracks.map(\.path).filter { was[$0] != nil }
                XCTAssertEqual(keptOrder, old.tracks.map(\.path).filter { $0 != gonePath }, name)
            }
            // Each new song joins the playlist that holds its group.
            for track in later {
                let playlist = after.playlists.first { $0.id == now[track.path] }!
                let groups = playlist.tracks.filter { was[$0.path] != nil }.map { group[$0.path]! }
                XCTAssertTrue(groups.allSatisfy { $0 == group[track.path] }, "\(name): \(track.path) in \(playlist.name)")
            }
            let changes = try XCTUnwrap(after.changes)
            XCTAssertEqual(changes.mode, .update)
            XCTAssertEqual(changes.keptPlaylists, 3)
            XCTAssertEqual(changes.addedSongs, later.count, name)
            XCTAssertEqual(changes.gone, 1)
            XCTAssertEqual(changes.moved, 0)
            // Times: new songs now, placed ones as before; a playlist whose songs changed is updated now.
            let firstStamp = PlaylistUpdate.timestamp(first)
            let secondStamp = PlaylistUpdate.timestamp(second)
            for entry in after.playlists {
                XCTAssertEqual(entry.created, firstStamp)
                XCTAssertEqual(entry.updated, secondStamp)
                for track in entry.tracks { XCTAssertEqual(track.added, was[track.path] == nil ? secondStamp : firstStamp) }
            }
        }
    }

    func testAnUpdateWithNothingNewChangesNothingButTheScores() throws {
        let (placed, _, _) = library()
        let before = try readBack(try Atlas.keptPlaylists(placed, builder: PlaylistBuilder(), previous: nil, now: first).document)
        let after = try XCTUnwrap(try Atlas.keptPlaylists(placed, builder: PlaylistBuilder(), previous: before,
                                                          now: second).document)
        XCTAssertEqual(after.playlists.map { $0.tracks.map(\.path) }, before.playlists.map { $0.tracks.map(\.path) })
        XCTAssertEqual(after.playlists.map(\.updated), before.playlists.map(\.updated))
        XCTAssertEqual(after.changes, PlaylistDocument.Changes(mode: .update, keptPlaylists: 3))
    }

    /// The library's songs as the tracks of three album images: every song shares its path with others
    /// and is told apart by its cue track.
    func albumImages(_ tracks: [TrackAnalysis]) -> [TrackAnalysis] {
        tracks.enumerated().map { index, track in
            var song = track
            let number = index / 3 + 1
            song.path = "/music/album \(index % 3).flac"
            let start = (number - 1) * 44_100 * 300
            song.cueTrack = CueSheetTrack(
                audioPath: song.path, sheetPath: "/music/album \(index % 3).cue", isEmbedded: false, trackNumber: number,
                startSample: start, endSample: start + Int(track.durationSeconds * 44_100), sampleRate: 44_100)
            return song
        }
    }

    func playlistOfSlot(_ document: PlaylistDocument) -> [SongSlot: Int] {
        var result: [SongSlot: Int] = [:]
        for entry in document.playlists { for track in entry.tracks { result[track.slot] = entry.id! } }
        return result
    }

    func testTheTracksOfAnAlbumImageAreEachFoundAgainByAnUpdateAndARecluster() throws {
        let (placed, later, _) = library()
        let tracks = albumImages(placed + later)
        XCTAssertEqual(Set(tracks.map(\.path)).count, 3)
        let before = try readBack(try Atlas.keptPlaylists(tracks, builder: PlaylistBuilder(), previous: nil,
                                                          now: first).document)
        XCTAssertEqual(playlistOfSlot(before).count, tracks.count, "every cue track is its own entry")
        XCTAssertEqual(Set(before.playlists.flatMap { $0.tracks.map { $0.cue?.track } }).count, tracks.count / 3)

        // The next run of the same library: nothing added, nothing gone, every entry keeps its range.
        let after = try Atlas.keptPlaylists(tracks, builder: PlaylistBuilder(), previous: before, now: second).document
        XCTAssertEqual(after.changes, PlaylistDocument.Changes(mode: .update, keptPlaylists: before.playlists.count))
        XCTAssertEqual(after.playlists.map { $0.tracks.map(\.slot) }, before.playlists.map { $0.tracks.map(\.slot) })
        XCTAssertEqual(after.playlists.map { $0.tracks.map(\.cue) }, before.playlists.map { $0.tracks.map(\.cue) })
        XCTAssertEqual(after.playlists.map(\.updated), before.playlists.map(\.updated))

        // A recluster with another seed matches every playlist and moves no song.
        var reseeded = PlaylistBuilder()
        reseeded.seed = 99
        let reclustered = try Atlas.keptPlaylists(tracks, builder: reseeded, previous: before, recluster: true,
                                                  now: second).document
        XCTAssertEqual(playlistOfSlot(reclustered), playlistOfSlot(before))
        XCTAssertEqual(reclustered.changes?.moved, 0)
        XCTAssertEqual(reclustered.changes?.gone, 0)
        XCTAssertEqual(Set(reclustered.playlists.flatMap { $0.tracks.compactMap(\.added) }), [PlaylistUpdate.timestamp(first)])
    }

    func testAPlaylistWhoseSongsAreAllGoneLeavesAndItsIdIsNotGivenAgain() throws {
        let (placed, later, group) = library()
        var builder = PlaylistBuilder()
        builder.clusterCount = 3
        let before = try readBack(try Atlas.keptPlaylists(placed, builder: builder, previous: nil, now: first).document)
        let lostGroup = group[placed[0].path]!
        let lostId = playlistOf(before)[placed[0].path]!
        let today = (placed + later).filter { group[$0.path] != lostGroup }
        let after = try Atlas.keptPlaylists(today, builder: builder, previous: before, now: second).document
        XCTAssertEqual(after.playlists.count, 2)
        XCTAssertFalse(after.playlists.contains { $0.id == lostId })
        XCTAssertEqual(after.changes?.gone, 5)
        // A recluster into three again gives the third playlist a new id, never the lost one.
        let regrown = try Atlas.keptPlaylists(placed + later, builder: builder, previous: try readBack(after),
                                              recluster: true, now: second).document
        XCTAssertEqual(regrown.playlists.count, 3)
        XCTAssertEqual(Set(regrown.playlists.compactMap(\.id)),
                       Set(after.playlists.compactMap(\.id)).union([before.nextId!]))
        XCTAssertEqual(regrown.nextId, before.nextId! + 1)
    }

    func testChangedSettingsAreRefusedNamingEach() throws {
        let (placed, _, _) = library()
        let before = try readBack(try Atlas.keptPlaylists(placed, builder: PlaylistBuilder(), previous: nil, now: first).document)
        var other = PlaylistBuilder()
        other.clusterCount = 3
        other.clustering = .agglomerative()
        XCTAssertThrowsError(try Atlas.keptPlaylists(placed, builder: other, previous: before, now: second)) { error in
            let changes = (error as? PlaylistUpdate.SettingsChanged)?.changes ?? []
            XCTAssertEqual(changes.map(\.setting), [.algorithm, .clusterCount])
            XCTAssertEqual(changes.first?.previous, "kmeans")
            XCTAssertEqual(changes.first?.current, "agglomerative (ward)")
        }
        var weighted = PlaylistBuilder()
        weighted.space.weights = FeatureWeights(harmony: 2)
        XCTAssertThrowsError(try Atlas.keptPlaylists(placed, builder: weighted, previous: before, now: second)) { error in
            XCTAssertEqual((error as? PlaylistUpdate.SettingsChanged)?.changes.map(\.setting), [.weights])
        }
        // The same changes are a recluster's to make.
        let reclustered = try Atlas.keptPlaylists(placed, builder: other, previous: before, recluster: true, now: second)
        XCTAssertEqual(reclustered.document.changes?.mode, .recluster)
        XCTAssertEqual(reclustered.document.settings?.k, "3")
    }

    func testAReclusterOfTheSameSongsKeepsEveryIdNameAndFile() throws {
        let (placed, later, _) = library()
        let before = try readBack(try Atlas.keptPlaylists(placed + later, builder: PlaylistBuilder(), previous: nil,
                                                          now: first).document)
        var reseeded = PlaylistBuilder()
        reseeded.seed = 99
        let after = try Atlas.keptPlaylists(placed + later, builder: reseeded, previous: before, recluster: true,
                                            now: second).document
        XCTAssertEqual(playlistOf(after), playlistOf(before))
        XCTAssertEqual(Set(after.playlists.map(\.file)), Set(before.playlists.map(\.file)))
        XCTAssertEqual(after.changes?.keptPlaylists, 3)
        XCTAssertEqual(after.changes?.moved, 0)
        // Nothing changed in any playlist: its updated time and every song's added time stay.
        XCTAssertEqual(Set(after.playlists.compactMap(\.updated)), [PlaylistUpdate.timestamp(first)])
    }

    func testAReclusterIntoFewerPlaylistsListsTheMergedOne() throws {
        let (placed, _, _) = library()
        var three = PlaylistBuilder()
        three.clusterCount = 3
        let before = try readBack(try Atlas.keptPlaylists(placed, builder: three, previous: nil, now: first).document)
        var two = three
        two.clusterCount = 2
        let after = try Atlas.keptPlaylists(placed, builder: two, previous: before, recluster: true, now: second).document
        let changes = try XCTUnwrap(after.changes)
        XCTAssertEqual(changes.keptPlaylists, 2)
        XCTAssertEqual(changes.merged.count, 1)
        XCTAssertEqual(changes.moved, 5)
        let merged = try XCTUnwrap(changes.merged.first)
        XCTAssertTrue(after.playlists.map(\.name).contains(merged.into[0]))
        XCTAssertFalse(after.playlists.contains { $0.id == merged.id })
        XCTAssertTrue(Set(after.playlists.map(\.name)).isSubset(of: before.playlists.map(\.name)))
    }

    func testAReclusterAvoidsFilesAPersonChanged() throws {
        let (placed, _, _) = library()
        let before = try readBack(try Atlas.keptPlaylists(placed, builder: PlaylistBuilder(), previous: nil, now: first).document)
        let touched = before.playlists[0].file
        let after = try Atlas.keptPlaylists(placed, builder: PlaylistBuilder(), previous: before, recluster: true,
                                            unavailableFiles: [touched], now: second).document
        XCTAssertFalse(after.playlists.contains { $0.file == touched })
        XCTAssertEqual(after.changes?.leftAlone, [touched])
        XCTAssertEqual(after.changes?.renamed.map(\.name), [before.playlists[0].name])
        XCTAssertEqual(Set(after.playlists.map(\.file)).count, after.playlists.count)
    }

    func testDriftAdvisesAReclusterForASourceTheLibraryDidNotHave() throws {
        let (placed, later, group) = library(groups: 4, held: 2)
        let without = placed.filter { group[$0.path] != 3 }
        let before = try readBack(try Atlas.keptPlaylists(without, builder: PlaylistBuilder(), previous: nil, now: first).document)
        // More of the same sources fit as well as the songs already there.
        let more = try Atlas.keptPlaylists(without + later.filter { group[$0.path] != 3 }, builder: PlaylistBuilder(),
                                           previous: before, now: second).document
        let fit = try XCTUnwrap(more.changes?.drift)
        XCTAssertLessThan(fit.distanceRatio, PlaylistUpdate.driftThreshold)
        XCTAssertFalse(fit.advisesRecluster)
        XCTAssertEqual(fit.silhouetteBefore, before.metrics.silhouette)
        // A whole new source does not: the update keeps the playlists but advises a recluster.
        let source = try Atlas.keptPlaylists(placed + later, builder: PlaylistBuilder(), previous: before, now: second).document
        let misfit = try XCTUnwrap(source.changes?.drift)
        XCTAssertGreaterThan(misfit.distanceRatio, PlaylistUpdate.driftThreshold)
        XCTAssertTrue(misfit.advisesRecluster)
        XCTAssertLessThan(try XCTUnwrap(misfit.silhouetteAfter), try XCTUnwrap(misfit.silhouetteBefore))
        XCTAssertEqual(source.playlists.count, before.playlists.count, "an update never reclusters on its own")
    }

    func testNewSongsAreSlottedWhereThePathGrowsLeast() {
        let space = FeatureMatrix(rows: [[0, 0], [10, 0], [5, 1], [20, 0], [-5, 0]])
        XCTAssertEqual(PlaylistUpdate.bestSlot(for: 2, in: [0, 1], space: space), 1)
        XCTAssertEqual(PlaylistUpdate.bestSlot(for: 3, in: [0, 1], space: space), 2)
        XCTAssertEqual(PlaylistUpdate.bestSlot(for: 4, in: [0, 1], space: space), 0)
        XCTAssertEqual(PlaylistUpdate.bestSlot(for: 4, in: [], space: space), 0)
    }

    func testPlaylistNumbers() {
        XCTAssertEqual(PlaylistUpdate.number(in: "03 - rock"), 3)
        XCTAssertEqual(PlaylistUpdate.number(in: "120 - rock"), 120)
        XCTAssertNil(PlaylistUpdate.number(in: "unsorted"))
        XCTAssertNil(PlaylistUpdate.number(in: "Seed - 03 - rock"))
    }
}
