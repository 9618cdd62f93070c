import Clustering
import Export
import Features
import Foundation
import Library

/// Places a library on a 2-D self-organizing map where similar songs sit together.
///
/// The map is trained on the library's points in a ``FeatureSpace`` (the
/// same placement the playlists use); the colours are given, not chosen
/// here, so the map shows the very playlists the user has.
public struct SongMapBuilder: Sendable {
    /// Grid size; nil chooses about 5·√n units shaped by the data. At most
    /// ``maximumUnitCount(songCount:)`` units.
    public var grid: (width: Int, height: Int)?
    public var topology = SOMTopology.rectangular
    public var training = SOMTraining.batch
    public var seed: UInt64 = 0
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Called as training goes, with the work done and the whole (epochs for batch training, songs drawn
    /// for online); nil for none.
    public var trainingProgress: (@Sendable (Int, Int) -> Void)?
    /// Nearest songs listed per song (``SongMapDocument/Song/neighbours``, see ``MapNeighbours``), ≥ 0; default 10.
    public var neighbourCount = 10

    /// Batch training over more songs than this trains on a seeded sample of this many (see
    /// ``SelfOrganizingMap/trainingSampleSize``), and the automatic grid takes its shape from the
    /// same sample; every song is then placed on its best unit. Maps of this many songs or fewer
    /// are trained on every song, exactly as before.
    public static let trainingSampleThreshold = 20_000

    public init() {}

    /// The most units a map of `songCount` songs may have: 100 per song, at least 400,
    /// at most ``SelfOrganizingMap/maximumUnitCount``.
    ///
    /// Batch training costs O(epochs × units × songs × d) and the codebook, the U-matrix
    /// and the page grow with the units, while a map with far more units than songs is
    /// mostly empty: 500×500 units for 6 songs trained for minutes and grew past 780 MB.
    public static func maximumUnitCount(songCount: Int) -> Int {
        min(SelfOrganizingMap.maximumUnitCount, max(400, 100 * max(songCount, 0)))
    }

    /// Checks ``grid`` against the number of songs, before any training.
    ///
    /// - Throws: ``PlaylistBuilder/BuildError/invalidParameter(name:value:requirement:)`` naming `grid`
    ///   when it has more than ``maximumUnitCount(songCount:)`` units.
    public func checkGrid(songCount: Int) throws {
        guard let grid else { return }
        let limit = Self.maximumUnitCount(songCount: songCount)
        let units = grid.width.multipliedReportingOverflow(by: grid.height)
        guard units.overflow || units.partialValue > limit else { return }
        throw PlaylistBuilder.BuildError.invalidParameter(
            name: "grid", value: "\(grid.width)x\(grid.height)",
            requirement: "has \(units.overflow ? "too many" : String(units.partialValue)) units; a map of \(songCount) "
                + "song\(songCount == 1 ? "" : "s") may have at most \(limit) (100 per song, at least 400): training time "
                + "and memory grow with the units, and most would stay empty")
    }

    /// How the songs are coloured: a cluster per track and a name per cluster.
    public struct Colours: Sendable {
        /// The cluster of each track, in input order; each in `names.indices`.
        public var clusterOfTrack: [Int]
        /// One legend name per cluster.
        public var names: [String]

        public init(clusterOfTrack: [Int], names: [String]) {
            self.clusterOfTrack = clusterOfTrack
            self.names = names
        }

        /// The playlists' colours: each track coloured by its playlist (0 where a seed song left it out).
        public init(_ playlists: PlaylistSet) {
            self.init(clusterOfTrack: playlists.playlistOfTrack.map { $0 ?? 0 }, names: playlists.playlists.map(\.name))
        }
    }

    /// Trains the map and places every song on it; returns what `map.json` holds.
    ///
    /// - Parameters:
    ///   - tracks: the songs, in the order they were placed.
    ///   - placed: `tracks` placed in a ``FeatureSpace``.
    ///   - colours: a cluster per track, for the dots and the legend.
    ///   - cancellation: stops the training at its next epoch; default never.
    /// - Throws: ``PlaylistBuilder/BuildError/noTracks`` for no tracks, ``PlaylistBuilder/BuildError/invalidParameter(name:value:requirement:)``
    ///   for a grid too large for the songs (``checkGrid(songCount:)``) or a negative ``neighbourCount``; ``ClusteringError``
    ///   from training (``ClusteringError/cancelled`` when cancelled).
    public func build(_ tracks: [TrackAnalysis], placed: PlacedLibrary, colours: Colours,
                      cancellation: Cancellation = .never) throws -> SongMapDocument {
        guard !tracks.isEmpty else { throw PlaylistBuilder.BuildError.noTracks }
        guard placed.count == tracks.count && colours.clusterOfTrack.count == tracks.count else {
            throw PlaylistBuilder.BuildError.invalidParameter(
                name: "colours", value: "\(colours.clusterOfTrack.count) tracks",
                requirement: "must cover the \(tracks.count) tracks placed (\(placed.count))")
        }
        try checkGrid(songCount: tracks.count)
        guard neighbourCount >= 0 else {
            throw PlaylistBuilder.BuildError.invalidParameter(name: "neighbours", value: "\(neighbourCount)",
                                                              requirement: "must be at least 0")
        }
        var notes: [String] = []
        let space = placed.points
        let sampled = training == .batch && space.rowCount > Self.trainingSampleThreshold
        let (width, height) = grid ?? SelfOrganizingMap.automaticGrid(
            for: sampled ? SelfOrganizingMap.trainingSample(space, rows: Self.trainingSampleThreshold, seed: seed) : space,
            itemCount: space.rowCount)
        if width * height > 4 * tracks.count {
            notes.append("the \(width)×\(height) grid has \(width * height) units for \(tracks.count) songs; "
                + "most units will stay empty")
        }
        if tracks.count == 1 { notes.append("one song: the map has nothing to compare it with") }
        if tracks.count > 1 && (1..<space.rowCount).allSatisfy({ space.row($0) == space.row(0) }) {
            notes.append("all \(tracks.count) songs have the same features: they share one spot")
        }
        var som = SelfOrganizingMap(width: width, height: height, topology: topology, training: training, seed: seed)
        som.iterations = max(10_000, 10 * tracks.count)
        if sampled { som.trainingSampleSize = Self.trainingSampleThreshold }
        som.shouldStop = cancellation.shouldStop
        let result = try som.train(space, jobs: jobs, progress: trainingProgress)

        // Spread songs that share a unit on a small sunflower spiral around its centre.
        var perUnit: [Int: Int] = [:]
        var occupancy: [Int: Int] = [:]
        for unit in result.bestUnits { occupancy[unit, default: 0] += 1 }
        let neighbours = try MapNeighbours.nearest(tracks, points: space, units: result.bestUnits,
                                                   codebook: result.codebook, count: neighbourCount, jobs: max(1, jobs),
                                                   cancellation: cancellation)
        var songs: [SongMapDocument.Song] = []
        for (index, track) in tracks.enumerated() {
            let unit = result.bestUnits[index]
            let rank = perUnit[unit, default: 0]
            perUnit[unit] = rank + 1
            let count = occupancy[unit]!
            let centre = result.position(ofUnit: unit)
            let radius = count > 1 ? 0.38 * (Double(rank) + 0.5).squareRoot() / Double(count).squareRoot() : 0
            let angle = Double(rank) * 2.399963229728653       // the golden angle
            songs.append(SongMapDocument.Song(
                path: track.path, title: track.title, artist: track.artist, cluster: colours.clusterOfTrack[index],
                unit: unit, gridX: unit / height, gridY: unit % height,
                x: centre.x + radius * cos(angle), y: centre.y + radius * sin(angle),
                durationSeconds: track.durationSeconds, neighbours: neighbours[index], cue: track.cueReference))
        }
        return SongMapDocument(
            featureVersion: SongSummary.version, width: result.width, height: result.height, topology: result.topology,
            training: training, quantizationError: result.quantizationError,
            topographicError: result.topographicError.isFinite ? result.topographicError : nil,
            clusters: colours.names, notes: notes, songs: songs,
            codebook: (0..<result.codebook.rowCount).map { Array(result.codebook.row($0)) }, uMatrix: result.uMatrix)
    }
}
