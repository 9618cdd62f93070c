import Clustering
import Export
import Features
import Foundation
import Library

/// Keeps a playlist set a person lives with stable as the library grows.
///
/// An update starts from the `playlists.json` an earlier run wrote (and that no
/// one changed since): songs already placed keep their playlist and their place
/// in its order, songs whose files are gone leave, and new songs join the
/// playlist the clusterer's own rule puts them in (``PlaylistClustering``'s
/// placement, a ``Partition`` rebuilt from the kept playlists), each slotted into
/// the order where it lengthens the listening path least. Names, file names and
/// ids stay; an id is never given to another playlist (``PlaylistDocument/nextId``).
public enum PlaylistUpdate {
    /// A setting an update cannot change (the kept playlists were made with another).
    public struct SettingChange: Sendable, Equatable, CustomStringConvertible {
        /// The builder's parameter, as the library names it.
        public enum Setting: String, Sendable {
            case algorithm, clusterCount, features, weights, embeddingModel
        }

        public var setting: Setting
        /// The value the kept set was made with, and the one asked for now.
        public var previous: String
        public var current: String

        public var description: String { "\(setting.rawValue) \(current) (the set was made with \(previous))" }
    }

    /// Thrown when the run asks for settings the kept set was not made with: only a recluster can change them.
    public struct SettingsChanged: Error, Sendable, Equatable, CustomStringConvertible {
        public var changes: [SettingChange]
        public var description: String {
            "an update keeps the settings the playlists were made with; changed: "
                + changes.map(\.description).joined(separator: "; ")
        }
    }

    /// The settings a document records that an update cannot change.
    struct SettingsRecord: Equatable {
        var algorithm: String?
        var clusterCount: String?
        var features: String?
        var weights: [String: Double]
        var embeddingModel: String?

        init(_ document: PlaylistDocument) {
            algorithm = document.algorithm
            clusterCount = document.settings?.k
            features = document.features?.rawValue
            weights = document.weights
            embeddingModel = document.embeddingModel
        }

        init(builder: PlaylistBuilder, placed: PlacedLibrary) {
            algorithm = builder.clustering.summary
            clusterCount = builder.clusterCount.map(String.init) ?? "auto"
            features = ComparedFeatures(placed.features).rawValue
            weights = Dictionary(uniqueKeysWithValues: FeatureGroup.allCases.map { ($0.rawValue, placed.space.weights[$0]) })
            embeddingModel = placed.features == .handcrafted ? nil : placed.space.embedding?.model.identifier
        }

        func changes(to current: SettingsRecord) -> [SettingChange] {
            func text(_ value: String?) -> String { value ?? "none" }
            func text(_ weights: [String: Double]) -> String {
                weights.keys.sorted().map { "\($0)=\(Self.number(weights[$0]!))" }.joined(separator: ",")
            }
            var found: [SettingChange] = []
            if algorithm != current.algorithm {
                found.append(.init(setting: .algorithm, previous: text(algorithm), current: text(current.algorithm)))
            }
            if clusterCount != current.clusterCount {
                found.append(.init(setting: .clusterCount, previous: text(clusterCount), current: text(current.clusterCount)))
            }
            if features != current.features {
                found.append(.init(setting: .features, previous: text(features), current: text(current.features)))
            }
            if weights != current.weights {
                found.append(.init(setting: .weights, previous: text(weights), current: text(current.weights)))
            }
            if embeddingModel != current.embeddingModel {
                found.append(.init(setting: .embeddingModel, previous: text(embeddingModel),
                                   current: text(current.embeddingModel)))
            }
            return found
        }

        static func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
    }

    /// The fit of an update's new songs past which a recluster is advised: their mean distance to their
    /// playlist's centroid over the placed songs' (``PlaylistDocument/Changes/Drift/distanceRatio``).
    /// Chosen by `scripts/eval-names-stability dev` (`songatlas-bench stability`, release build, seeds 0-2) on
    /// the DEV half of the real eval set (72 clips of 10 game-music sources): ordinary 10 % updates gave
    /// 0.96 to 0.99 and a source the library did not have 0.90 to 1.39, over 1.10 for 5 of the 10 sources.
    /// Reported on the TEST half (68 clips): ordinary updates 1.05 to 1.08 (no advice), new sources over 1.10
    /// for 3 of 10. (SampleAudio's synthetic sources, where 1.35 was first chosen, spread wider: 0.88 to 1.33
    /// for ordinary updates.) Some new sources fit the playlists as well as ordinary songs, so the ratio
    /// alone cannot flag every new style.
    public static let driftThreshold = 1.10

    /// A time as the documents write it: ISO 8601 in UTC, to the second.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// The settings of `builder` on `placed` that differ from those `previous` was made with.
    public static func changedSettings(from previous: PlaylistDocument, builder: PlaylistBuilder,
                                       placed: PlacedLibrary) -> [SettingChange] {
        SettingsRecord(previous).changes(to: SettingsRecord(builder: builder, placed: placed))
    }

    /// A new set's document with its ids (from `firstId`), times and settings.
    ///
    /// - Parameters:
    ///   - document: a new set's document (``PlaylistDocument/init(_:agreement:)``).
    ///   - now: ``timestamp(_:)`` of the run.
    ///   - firstId: the first id to give; an earlier set's ``PlaylistDocument/nextId`` so no id is given twice.
    public static func stamped(_ document: PlaylistDocument, builder: PlaylistBuilder, now: String, firstId: Int = 1)
        -> PlaylistDocument
    {
        var stamped = document
        for index in stamped.playlists.indices {
            stamped.playlists[index].id = firstId + index
            stamped.playlists[index].created = now
            stamped.playlists[index].updated = now
            for track in stamped.playlists[index].tracks.indices { stamped.playlists[index].tracks[track].added = now }
        }
        stamped.nextId = firstId + stamped.playlists.count
        stamped.settings = PlaylistDocument.Settings(k: builder.clusterCount.map(String.init) ?? "auto")
        stamped.changes = PlaylistDocument.Changes(mode: .new)
        return stamped
    }

    /// The id the next new playlist of a set that follows `previous` gets.
    static func nextId(after previous: PlaylistDocument) -> Int {
        max(previous.nextId ?? 1, (previous.playlists.compactMap(\.id).max() ?? 0) + 1)
    }

    /// Updates the kept set `previous` with today's library.
    ///
    /// - Parameters:
    ///   - previous: the set an earlier run wrote, read back; its settings must be those of `builder`
    ///     (``changedSettings(from:builder:placed:)`` is empty).
    ///   - tracks: today's analysed library.
    ///   - placed: `tracks` placed in `builder`'s space.
    ///   - now: ``timestamp(_:)`` of the run: the `added` time of new songs, the `updated` time of changed playlists.
    ///   - labels: reference labels by path, to score the result against.
    /// - Returns: the updated document, or nil when none of the earlier songs is left (there is nothing to keep).
    public static func update(_ previous: PlaylistDocument, tracks: [TrackAnalysis], builder: PlaylistBuilder,
                              placed: PlacedLibrary, now: String, labels: [String: String]? = nil) throws
        -> PlaylistDocument?
    {
        let space = placed.points
        var indexOfSlot: [SongSlot: Int] = [:]
        for (index, track) in tracks.enumerated() where indexOfSlot[track.slot] == nil { indexOfSlot[track.slot] = index }

        // The earlier songs still here, per earlier playlist, in their order; a changed file is placed again.
        var claimed = Set<Int>()
        var members: [[Int]] = []
        var addedTime: [Int: String] = [:]
        var formerId: [Int: Int] = [:]          // a changed song's earlier playlist
        var again: [Int] = []
        var gone = 0
        var lost = [Int](repeating: 0, count: previous.playlists.count)
        for (entryIndex, entry) in previous.playlists.enumerated() {
            var list: [Int] = []
            for track in entry.tracks where track.bridge != true {
                guard let index = indexOfSlot[track.slot] else {
                    gone += 1
                    lost[entryIndex] += 1
                    continue
                }
                guard claimed.insert(index).inserted else { continue }
                if abs(tracks[index].durationSeconds - track.durationSeconds) > 1e-3 {
                    again.append(index)
                    formerId[index] = entryIndex
                    lost[entryIndex] += 1
                    continue
                }
                list.append(index)
                addedTime[index] = track.added
            }
            members.append(list)
        }
        let kept = members.indices.filter { !members[$0].isEmpty }
        guard !kept.isEmpty else { return nil }
        let newSongs = tracks.indices.filter { !claimed.contains($0) } + again

        // Place the new songs by the clusterer's own rule, over the kept playlists.
        let unsorted = kept.firstIndex { previous.playlists[$0].name == PlaylistBuilder.unsortedName }
        var keptRows: [[Float]] = []
        var keptLabels: [Int] = []
        for (position, entryIndex) in kept.enumerated() {
            for index in members[entryIndex] {
                keptRows.append(Array(space.row(index)))
                keptLabels.append(position == unsorted ? Partition.noise : position)
            }
        }
        let partition = builder.clustering.placement(of: keptLabels, clusterCount: kept.count,
                                                     in: FeatureMatrix(rows: keptRows))
        var placedIn: [Int] = []
        if !newSongs.isEmpty {
            placedIn = try partition.place(FeatureMatrix(rows: newSongs.map { Array(space.row($0)) }))
                .map { $0 == Partition.noise ? (unsorted ?? 0) : $0 }
        }

        // Slot each new song into its playlist's order where it lengthens the path least.
        var order = kept.map { members[$0] }
        var addedCount = [Int](repeating: 0, count: kept.count)
        for position in kept.indices {
            let arriving = zip(newSongs, placedIn).filter { $0.1 == position }.map(\.0)
            let centroid = PlaylistBuilder.mean(of: order[position], in: space)
            for song in arriving.sorted(by: {
                (PlaylistBuilder.distance(space.row($0), centroid), $0) < (PlaylistBuilder.distance(space.row($1), centroid), $1)
            }) {
                order[position].insert(song, at: bestSlot(for: song, in: order[position], space: space))
                addedCount[position] += 1
            }
        }

        var nextId = nextId(after: previous)
        var entries: [PlaylistDocument.Entry] = []
        var added: [PlaylistDocument.Changes.Added] = []
        var moved = 0
        var clusterOfTrack = [Int](repeating: 0, count: tracks.count)
        var placedDistances: [Double] = []
        var newDistances: [Double] = []
        for (position, entryIndex) in kept.enumerated() {
            let old = previous.playlists[entryIndex]
            let id = old.id ?? { defer { nextId += 1 }; return nextId }()
            let centroid = PlaylistBuilder.mean(of: order[position], in: space)
            let changed = addedCount[position] > 0 || lost[entryIndex] > 0
            entries.append(PlaylistDocument.Entry(
                name: old.name, file: old.file,
                tracks: order[position].map { index in
                    let track = tracks[index]
                    var entry = PlaylistDocument.Track(
                        path: track.path, title: track.title, artist: track.artist, album: track.album,
                        durationSeconds: track.durationSeconds,
                        distanceToCentroid: PlaylistBuilder.distance(space.row(index), centroid),
                        added: addedTime[index] ?? now)
                    entry.cue = track.cueReference
                    return entry
                },
                id: id, created: old.created ?? now, updated: changed ? now : old.updated ?? now))
            if addedCount[position] > 0 { added.append(.init(id: id, name: old.name, songs: addedCount[position])) }
            for index in order[position] {
                let distance = PlaylistBuilder.distance(space.row(index), centroid)
                if addedTime[index] != nil { placedDistances.append(distance) } else { newDistances.append(distance) }
                clusterOfTrack[index] = position == unsorted ? Partition.noise : position
                if let former = formerId[index], former != entryIndex { moved += 1 }
            }
        }

        var document = previous
        document.featureVersion = SongSummary.version
        document.playlists = entries
        document.nextId = nextId
        document.smallMerges = nil
        let quality = PlaylistBuilder.quality(of: clusterOfTrack, in: space, seed: builder.seed, scorer: nil)
        let agreement = labels.flatMap {
            ReferenceLabels.agreement(paths: tracks.map(\.path), clusters: clusterOfTrack, labels: $0)
        }
        document.metrics = PlaylistDocument.Metrics(
            silhouette: quality?.silhouette, daviesBouldin: quality?.daviesBouldin,
            calinskiHarabasz: quality?.calinskiHarabasz, inertia: quality?.inertia,
            agreement: agreement.map { PlaylistDocument.Agreement($0.agreement) }, labelledTrackCount: agreement?.labelled)
        document.notes = placed.notes
        if builder.clustering.algorithm == .gmm, previous.playlists.contains(where: { $0.tracks.contains { $0.membership != nil } }) {
            document.notes.append("an update keeps each song in one playlist: memberships and bridges are made by --recluster")
        }
        document.changes = PlaylistDocument.Changes(mode: .update, keptPlaylists: kept.count, added: added, gone: gone,
                                                    moved: moved)
        let placedMean = placedDistances.reduce(0, +) / Double(max(placedDistances.count, 1))
        if !newDistances.isEmpty, placedMean > 0 {
            let ratio = newDistances.reduce(0, +) / Double(newDistances.count) / placedMean
            document.changes?.drift = PlaylistDocument.Changes.Drift(
                distanceRatio: ratio, silhouetteBefore: previous.metrics.silhouette, silhouetteAfter: quality?.silhouette,
                advisesRecluster: ratio > driftThreshold)
        }
        return document
    }

    /// Where in `order` inserting `song` adds the least to the path's length (the ends included); ties to the earlier.
    static func bestSlot(for song: Int, in order: [Int], space: FeatureMatrix) -> Int {
        guard !order.isEmpty else { return 0 }
        func distance(_ a: Int, _ b: Int) -> Double { PlaylistBuilder.distance(space.row(a), Array(space.row(b))) }
        var best = 0
        var bestCost = distance(song, order[0])
        for slot in 1...order.count {
            let cost = slot == order.count ? distance(order[slot - 1], song)
                : distance(order[slot - 1], song) + distance(song, order[slot]) - distance(order[slot - 1], order[slot])
            if cost < bestCost {
                best = slot
                bestCost = cost
            }
        }
        return best
    }
}
