import Clustering
import Features
import Foundation
import Library

/// One track's place in a playlist.
public struct PlaylistTrack: Sendable, Equatable {
    public var track: TrackAnalysis
    /// Distance to the playlist's centroid in the weighted, standardised feature space.
    public var distanceToCentroid: Double
    /// A GMM song whose second-best membership passed the bridge threshold (``PlaylistClustering/gmm(covariance:principalComponents:bridgeThreshold:restarts:maximumIterations:tolerance:)``):
    /// it appears here as well as in its own playlist.
    public var bridge = false
    /// GMM: the track's membership in every playlist of the set, in order; nil for other algorithms.
    public var membership: [Double]?
}

/// One playlist: a cluster of tracks in listening order.
public struct Playlist: Sendable, Equatable {
    /// E.g. `03 - fast, bright, percussive`.
    public var name: String
    public var tracks: [PlaylistTrack]
}

/// What ``PlaylistBuilder`` made, with how it chose and how good it is.
public struct PlaylistSet: Sendable {
    public var playlists: [Playlist]
    /// Clusters found (before small ones were merged).
    public var k: Int
    /// The score of each k tried when k was chosen automatically (``ClusterCountStrategy``).
    public var kScores: [ClusterCountScore]
    /// Internal quality of the final assignment, in the weighted feature space.
    public var quality: ClusterQuality?
    /// The feature space the playlists were made in.
    public var space: FeatureSpace
    /// The representation actually compared (see ``PlacedLibrary/features``).
    public var features: SongFeatures
    public var seed: UInt64
    /// Things the user should know (merged clusters, too few songs…).
    public var notes: [String]
    /// The final cluster of each input track, in input order (for scoring against labels).
    public var labels: [Int]
    /// The index in ``playlists`` of each input track's playlist (nil when a seed song left it out).
    public var playlistOfTrack: [Int?]
    /// The algorithm that made the playlists, and its parameters.
    public var clustering = PlaylistClustering.default
    /// GMM: each input track's membership in each playlist (in ``playlists`` order), summing to 1.
    public var memberships: [[Double]]?
    /// Agglomerative: the whole merge tree over the input tracks.
    public var dendrogram: Dendrogram?
    /// Clusters smaller than ``PlaylistBuilder/minimumSize`` that joined a playlist, in the order they joined.
    public var smallMerges: [SmallMerge] = []

    /// A cluster under the minimum size and the playlist it joined.
    public struct SmallMerge: Sendable, Equatable {
        /// The cluster's songs' paths.
        public var songs: [String]
        /// The index in ``PlaylistSet/playlists`` of the playlist they joined.
        public var playlist: Int
    }
}

/// Turns analysed tracks into playlists of songs that belong together.
///
/// The tracks are placed in a ``FeatureSpace`` (the learned embedding, the
/// hand-crafted summary z-scored and weighted per ``FeatureGroup``, or both),
/// clustered by the ``Clusterer`` that ``clustering`` names (k given, or chosen
/// by a ``ClusterCountStrategy``), clusters smaller than ``minimumSize`` are merged into their
/// nearest neighbour, each playlist is named by the tags that set it apart
/// (``TagNamer``; by descriptor words without an embedding), and ordered into a short path through
/// feature space, starting from the track nearest its centroid.
public struct PlaylistBuilder: Sendable {
    /// Fixed number of playlists; nil chooses it within ``automaticRange`` by ``countStrategy``.
    /// Refused for an algorithm that finds the number itself (HDBSCAN).
    public var clusterCount: Int?
    public var automaticRange: ClosedRange<Int> = 2...12
    /// How k is chosen when ``clusterCount`` is nil; nil uses the algorithm's own
    /// (silhouette for k-means, BIC for GMM, the largest merge gap for agglomerative).
    public var countStrategy: ClusterCountStrategy?
    public var seed: UInt64 = 0
    /// The space tracks are compared in (its group weights, above all).
    public var space = FeatureSpace()
    /// Clusters with fewer tracks are merged into the nearest other cluster.
    public var minimumSize = 2
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// The algorithm (k-means by default) and its parameters.
    public var clustering = PlaylistClustering.default

    public init() {}

    /// Why playlists could not be made. Messages name the builder's parameters
    /// (`clusterCount`, `minimumSize`), not command-line flags.
    public enum BuildError: Error, CustomStringConvertible, Equatable {
        case noTracks
        /// ``clusterCount`` is larger than the number of tracks.
        case tooManyClusters(k: Int, trackCount: Int)
        /// A parameter outside its range: its name, its value and what it must be.
        case invalidParameter(name: String, value: String, requirement: String)

        public var description: String {
            switch self {
            case .noTracks: return "no tracks to make playlists from"
            case let .tooManyClusters(k, trackCount):
                return "clusterCount \(k) asks for more playlists than there are songs (\(trackCount))"
            case let .invalidParameter(name, value, requirement): return "\(name)=\(value) \(requirement)"
            }
        }
    }

    /// Builds the playlists, placing the tracks in ``space`` first.
    ///
    /// - Parameter seedTrack: index into `tracks`; when given, the result is
    ///   that track's playlist only, ordered from it.
    ///   - cancellation: stops the clustering at its next iteration (``ClusteringError/cancelled``); default never.
    public func build(_ tracks: [TrackAnalysis], seedTrack: Int? = nil, cancellation: Cancellation = .never) throws
        -> PlaylistSet
    {
        guard !tracks.isEmpty else { throw BuildError.noTracks }
        return try build(tracks, placed: space.place(tracks), seedTrack: seedTrack, cancellation: cancellation)
    }

    /// Builds the playlists from tracks already placed in a feature space
    /// (so that another job, such as the song map, can share the placement).
    ///
    /// - Parameters:
    ///   - tracks: the tracks, in the order they were placed.
    ///   - placed: `tracks` placed in a ``FeatureSpace``; its space is the one reported.
    ///   - seedTrack: index into `tracks`; when given, the result is that track's playlist only, ordered from it.
    ///   - cancellation: stops the clustering at its next iteration; default never.
    /// - Throws: ``BuildError``, ``ClusteringError`` (``ClusteringError/cancelled`` when cancelled).
    public func build(_ tracks: [TrackAnalysis], placed: PlacedLibrary, seedTrack: Int? = nil,
                      cancellation: Cancellation = .never) throws -> PlaylistSet {
        guard !tracks.isEmpty else { throw BuildError.noTracks }
        guard placed.count == tracks.count else {
            throw BuildError.invalidParameter(name: "placed", value: "\(placed.count) songs",
                                              requirement: "must hold the \(tracks.count) tracks given")
        }
        let clusterer = clustering.clusterer(seed: seed, shouldStop: cancellation.shouldStop)
        if let k = clusterCount, !clusterer.takesClusterCount {
            throw BuildError.invalidParameter(name: "clusterCount", value: "\(k)", requirement:
                "does not apply to \(clustering.algorithm.rawValue), which finds the number of playlists itself")
        }
        if let countStrategy, !clusterer.takesClusterCount {
            throw BuildError.invalidParameter(name: "countStrategy", value: countStrategy.rawValue, requirement:
                "does not apply to \(clustering.algorithm.rawValue), which finds the number of playlists itself")
        }
        if let k = clusterCount, k > tracks.count, !clusterer.allowsEmptyClusters {
            throw BuildError.tooManyClusters(k: k, trackCount: tracks.count)
        }
        if let k = clusterCount, k < 1 {
            throw BuildError.invalidParameter(name: "clusterCount", value: "\(k)", requirement: "must be at least 1")
        }
        guard minimumSize >= 1 else {
            throw BuildError.invalidParameter(name: "minimumSize", value: "\(minimumSize)", requirement: "must be at least 1")
        }

        let zScores = placed.zScores
        let space = placed.points
        var notes = placed.notes
        let tagNamer = placed.embeddings.isEmpty ? nil : TagNamer(vocabularies: Self.tagVocabularies(tracks, placed: placed))

        var labels: [Int]
        var kScores: [ClusterCountScore] = []
        var scorer: SilhouetteScorer?        // the k selection's, reused for the final quality
        var k: Int
        var partition: Partition?
        let distinctRows = Set((0..<space.rowCount).map { Array(space.row($0)) }).count
        let strategy = countStrategy ?? clusterer.countStrategy
        if distinctRows == 1 {
            labels = Array(repeating: 0, count: tracks.count)
            k = 1
            notes.append(tracks.count == 1 ? "1 song: too few to split, one playlist"
                : "all \(tracks.count) songs have the same features: one playlist")
        } else if clusterCount == nil, strategy == .silhouette, tracks.count < 3 {
            labels = Array(repeating: 0, count: tracks.count)
            k = 1
            notes.append("\(tracks.count) song\(tracks.count == 1 ? "" : "s"): too few to split, one playlist")
        } else {
            let prepared = try clusterer.prepare(space, jobs: jobs)
            notes += prepared.notes
            let fitted: Partition
            if let strategy, clusterer.takesClusterCount {
                if let fixed = clusterCount {
                    if clusterer.allowsEmptyClusters {
                        if fixed > tracks.count {
                            notes.append("k=\(fixed) is more than the \(tracks.count) songs: the extra components stay "
                                + "empty (regularised)")
                        }
                        fitted = try prepared.fit(fixed)
                    } else {
                        if fixed > distinctRows {
                            notes.append("\(fixed) playlists reduced to \(distinctRows): only \(distinctRows) songs "
                                + "differ in their features")
                        }
                        fitted = try prepared.fit(min(fixed, distinctRows))
                    }
                } else {
                    let choice = try strategy.choose(prepared, data: space, range: automaticRange,
                                                     distinctItems: distinctRows, seed: seed, jobs: jobs,
                                                     refitting: clusterer)
                    kScores = choice.scores
                    scorer = choice.silhouetteScorer
                    notes += choice.notes
                    fitted = choice.partition
                }
            } else {
                fitted = try prepared.fit(0)
            }
            notes += fitted.notes
            notes += clustering.notes(after: fitted, songCount: tracks.count)
            labels = fitted.labels
            k = fitted.clusterCount
            partition = fitted
        }

        // Renumber densely (a cluster may have come out empty) and merge small clusters.
        labels = Self.renumbered(labels)
        var merges: [(songs: [Int], into: Int)] = []
        labels = Self.mergeSmall(labels, in: space, minimumSize: minimumSize, merges: &merges)
        let clusterIDs = Array(Set(labels)).filter { $0 >= 0 }.sorted()
        let noise = labels.indices.filter { labels[$0] == Partition.noise }

        let quality = Self.quality(of: labels, in: space, seed: seed, scorer: noise.isEmpty ? scorer : nil)

        var playlists: [Playlist] = []
        var memberOrder: [[Int]] = []
        var evidence: [PlaylistNaming.Evidence] = []
        let libraryMajority = Set([PlaylistNaming.mostly(artists: tracks.map(\.artist), albums: []),
                                   PlaylistNaming.mostly(artists: tracks.map(\.album), albums: [])].compactMap { $0 })
        // Noise (HDBSCAN's) is the last, unsorted playlist.
        for cluster in clusterIDs + (noise.isEmpty ? [] : [Partition.noise]) {
            let members = labels.indices.filter { labels[$0] == cluster }
            if let seedTrack, !members.contains(seedTrack) { continue }
            let centroid = Self.mean(of: members, in: space)
            let distances = Dictionary(uniqueKeysWithValues: members.map { ($0, Self.distance(space.row($0), centroid)) })
            let start = seedTrack ?? members.min { (distances[$0]!, $0) < (distances[$1]!, $1) }!
            let order = PathOrdering.order(members, in: space, startingAt: start)
            let name = cluster < 0 ? Self.unsortedName
                : tagNamer?.name(members: members) ?? Self.describe(members: members, zScores: zScores, tracks: tracks)
            // The tags that set the playlist apart; without any (or an embedding), the descriptor words, which
            // claim no instrument. A playlist left with no free word is `mixed` (``PlaylistNaming``).
            let tags = tagNamer?.rankedTags(members: members) ?? []
            evidence.append(PlaylistNaming.Evidence(
                words: !tags.isEmpty ? tags
                    : Self.describe(members: members, zScores: zScores, tracks: tracks).components(separatedBy: ", "),
                mostly: PlaylistNaming.mostly(artists: members.map { tracks[$0].artist },
                                              albums: members.map { tracks[$0].album }, library: libraryMajority),
                genre: PlaylistNaming.majorityGenre(members.map { tracks[$0].genre })))
            playlists.append(Playlist(name: name, tracks: order.map {
                PlaylistTrack(track: tracks[$0], distanceToCentroid: distances[$0]!)
            }))
            memberOrder.append(order)
        }
        let includedClusters = (clusterIDs + (noise.isEmpty ? [] : [Partition.noise])).filter { cluster in
            seedTrack.map { labels[$0] == cluster } ?? true
        }
        // Largest first (unsorted last), then number them.
        var order = Array(playlists.indices)
        order.sort {
            (includedClusters[$0] >= 0 ? 1 : 0, playlists[$0].tracks.count, playlists[$1].name)
                > (includedClusters[$1] >= 0 ? 1 : 0, playlists[$1].tracks.count, playlists[$0].name)
        }
        var playlistOfCluster: [Int: Int] = [:]
        for (rank, original) in order.enumerated() { playlistOfCluster[includedClusters[original]] = rank }
        playlists = order.map { playlists[$0] }
        memberOrder = order.map { memberOrder[$0] }
        // Names no two playlists share, first word included (HDBSCAN's unsorted playlist keeps its name).
        let named = order.indices.filter { includedClusters[order[$0]] >= 0 }
        for (index, name) in zip(named, PlaylistNaming.names(named.map { evidence[order[$0]] })) {
            playlists[index].name = name
        }
        let width = playlists.count >= 100 ? 3 : 2
        for index in playlists.indices {
            if includedClusters[order[index]] < 0 {
                if seedTrack != nil { playlists[index].name = "Seed - \(playlists[index].name)" }
                continue
            }
            let number = String(index + 1)
            let padded = String(repeating: "0", count: max(0, width - number.count)) + number
            playlists[index].name = seedTrack != nil ? "Seed - \(playlists[index].name)" : "\(padded) - \(playlists[index].name)"
        }
        var set = PlaylistSet(playlists: playlists, k: k, kScores: kScores, quality: quality, space: placed.space,
                              features: placed.features, seed: seed, notes: notes, labels: labels,
                              playlistOfTrack: labels.map { playlistOfCluster[$0] })
        set.clustering = clustering
        set.dendrogram = partition?.mergeTree
        // A merged cluster's songs may have joined one that joined another later: follow them to their playlist.
        set.smallMerges = merges.compactMap { merge in
            guard let playlist = playlistOfCluster[labels[merge.songs[0]]] else { return nil }
            return PlaylistSet.SmallMerge(songs: merge.songs.map { tracks[$0].path }, playlist: playlist)
        }
        // Each note once, in the order first given.
        var seenNotes = Set<String>()
        set.notes = notes.filter { seenNotes.insert($0).inserted }
        if let partition, let memberships = partition.memberships {
            addMemberships(memberships, of: partition, finalLabels: labels, playlistOfCluster: playlistOfCluster,
                           memberOrder: memberOrder, space: space, to: &set)
        }
        return set
    }

    static func renumbered(_ labels: [Int]) -> [Int] {
        var map: [Int: Int] = [:]
        return labels.map { label in
            if label < 0 { return label }       // noise stays noise
            if let known = map[label] { return known }
            map[label] = map.count
            return map[label]!
        }
    }

    /// Merges clusters with fewer than `minimumSize` members into the cluster
    /// with the nearest centroid, smallest first, until none is left.
    ///
    /// - Parameter merges: each merged cluster's members and the cluster they joined, appended in order.
    static func mergeSmall(_ labels: [Int], in space: FeatureMatrix, minimumSize: Int,
                           merges: inout [(songs: [Int], into: Int)]) -> [Int] {
        var labels = labels
        while true {
            let ids = Array(Set(labels)).filter { $0 >= 0 }.sorted()
            guard ids.count > 1 else { return labels }
            let sizes = Dictionary(uniqueKeysWithValues: ids.map { id in (id, labels.count { $0 == id }) })
            guard let small = ids.filter({ sizes[$0]! < minimumSize }).min(by: { (sizes[$0]!, $0) < (sizes[$1]!, $1) })
            else { return labels }
            let members = labels.indices.filter { labels[$0] == small }
            let centroid = mean(of: members, in: space)
            let target = ids.filter { $0 != small }.min { a, b in
                let da = distance(centroid[...], mean(of: labels.indices.filter { labels[$0] == a }, in: space))
                let db = distance(centroid[...], mean(of: labels.indices.filter { labels[$0] == b }, in: space))
                return (da, a) < (db, b)
            }!
            for index in members { labels[index] = target }
            merges.append((members, target))
        }
    }

    static func mean(of rows: [Int], in data: FeatureMatrix) -> [Float] {
        var total = [Double](repeating: 0, count: data.columnCount)
        for row in rows { for column in 0..<data.columnCount { total[column] += Double(data[row, column]) } }
        return total.map { Float($0 / Double(max(rows.count, 1))) }
    }

    static func distance(_ a: ArraySlice<Float>, _ b: [Float]) -> Double {
        zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }.squareRoot()
    }

    /// A short description of a cluster from how its mean stands out from the library.
    static func describe(members: [Int], zScores: FeatureMatrix, tracks: [TrackAnalysis]) -> String {
        let layout = SummaryLayout.current
        func meanZ(_ dimension: SummaryDimension) -> Double {
            let column = layout.index(of: dimension)
            return members.reduce(0.0) { $0 + Double(zScores[$1, column]) } / Double(members.count)
        }
        func meanRaw(_ dimension: SummaryDimension) -> Double {
            members.reduce(0.0) { $0 + Double(tracks[$1][dimension]) } / Double(members.count)
        }
        var words: [String] = []
        let clarity = meanRaw(.pulseClarity)
        if clarity < 0.25 {
            words.append("beatless")
        } else {
            let tempo = meanRaw(.tempoBPM)
            words.append(tempo < 90 ? "slow" : tempo > 130 ? "fast" : "mid-tempo")
        }
        let candidates: [(Double, String)] = [
            (meanZ(.mean(.centroid)), meanZ(.mean(.centroid)) > 0 ? "bright" : "dark"),
            (meanZ(.mean(.onset)), meanZ(.mean(.onset)) > 0 ? "percussive" : "smooth"),
            (meanZ(.mean(.rms)), meanZ(.mean(.rms)) > 0 ? "loud" : "quiet"),
            (meanZ(.silentFraction), meanZ(.silentFraction) > 0 ? "sparse" : "dense"),
            (meanZ(.mean(.flatness)), meanZ(.mean(.flatness)) > 0 ? "noisy" : "tonal"),
        ]
        for (score, word) in candidates.sorted(by: { abs($0.0) > abs($1.0) }).prefix(2) where abs(score) >= 0.4 {
            words.append(word)
        }
        return words.joined(separator: ", ")
    }

    /// The tag vocabularies that name playlists: the compared embedding's first model, then every other musicnn
    /// model each song already has an embedding of with the same patch budget (the fused model's MSD part, or an
    /// MSD run kept in the cache). None is computed for naming: running MSD too would cost a second network.
    static func tagVocabularies(_ tracks: [TrackAnalysis], placed: PlacedLibrary) -> [[SongEmbedding]] {
        guard let first = placed.embeddings.first, let budget = placed.space.embedding?.patchBudget else {
            return placed.embeddings.isEmpty ? [] : [placed.embeddings]
        }
        var vocabularies = [placed.embeddings]
        for network in [EmbeddingNetworkIdentity.mtt, .msd] where network != first.model {
            let found = tracks.compactMap { $0.embedding(network, patchBudget: budget) }
            if found.count == tracks.count { vocabularies.append(found) }
        }
        return vocabularies
    }
}
