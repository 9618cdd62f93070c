import Foundation

/// `playlists.json`: the playlists, how they were made and how good they are.
///
/// The file format's contract: every field is of a type declared here (``Agreement``, ``KScore``,
/// ``ComparedFeatures``, ``DocumentPath`` for paths), never an algorithm's, so a renamed field in
/// Clustering cannot change the file. SongAtlas fills it in one mapping (`PlaylistDocument(_:agreement:)`);
/// `Golden/playlists-schema.json` pins the keys.
public struct PlaylistDocument: Codable, Sendable {
    public struct Track: Codable, Sendable {
        public var path: String
        public var title: String?
        public var artist: String?
        public var album: String?
        public var durationSeconds: Double
        public var distanceToCentroid: Double
        /// GMM: the song's membership in every playlist, in `playlists` order (summing to 1); nil otherwise.
        public var membership: [Double]?
        /// GMM: true where the song is here as a bridge (its own playlist is the one of highest membership).
        public var bridge: Bool?
        /// When the song joined this playlist (ISO 8601, UTC, e.g. `2026-12-07T11:30:00Z`); absent in older documents.
        public var added: String?
        /// The cue sheet track the song is, written as `track`, `start`, `end` and `sheet`; nil (absent) for a whole file.
        public var cue: CueTrackReference?

        public init(path: String, title: String?, artist: String?, album: String?, durationSeconds: Double,
                    distanceToCentroid: Double, membership: [Double]? = nil, bridge: Bool? = nil, added: String? = nil) {
            self.added = added
            self.path = path
            self.title = title
            self.artist = artist
            self.album = album
            self.durationSeconds = durationSeconds
            self.distanceToCentroid = distanceToCentroid
            self.membership = membership
            self.bridge = bridge
        }

        private enum CodingKeys: String, CodingKey {
            case path, uri, title, artist, album, durationSeconds, distanceToCentroid, membership, bridge, added
            case track, start, end, sheet
        }

        /// Reads a track, taking its path from `uri` when there is one (``DocumentPath``).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try DocumentPath(from: container, path: .path, uri: .uri).path
            title = try container.decodeIfPresent(String.self, forKey: .title)
            artist = try container.decodeIfPresent(String.self, forKey: .artist)
            album = try container.decodeIfPresent(String.self, forKey: .album)
            durationSeconds = try container.decode(Double.self, forKey: .durationSeconds)
            distanceToCentroid = try container.decode(Double.self, forKey: .distanceToCentroid)
            membership = try container.decodeIfPresent([Double].self, forKey: .membership)
            bridge = try container.decodeIfPresent(Bool.self, forKey: .bridge)
            added = try container.decodeIfPresent(String.self, forKey: .added)
            if let track = try container.decodeIfPresent(Int.self, forKey: .track) {
                cue = CueTrackReference(
                    track: track, startSeconds: try container.decode(Double.self, forKey: .start),
                    endSeconds: try container.decode(Double.self, forKey: .end),
                    sheet: try container.decodeIfPresent(String.self, forKey: .sheet) ?? path)
            }
        }

        /// Writes the path in its display form, and a `uri` with its exact bytes when it is not UTF-8.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try DocumentPath(path).encode(to: &container, path: .path, uri: .uri)
            try container.encodeIfPresent(title, forKey: .title)
            try container.encodeIfPresent(artist, forKey: .artist)
            try container.encodeIfPresent(album, forKey: .album)
            try container.encode(durationSeconds, forKey: .durationSeconds)
            try container.encode(distanceToCentroid, forKey: .distanceToCentroid)
            try container.encodeIfPresent(membership, forKey: .membership)
            try container.encodeIfPresent(bridge, forKey: .bridge)
            try container.encodeIfPresent(added, forKey: .added)
            if let cue {
                try container.encode(cue.track, forKey: .track)
                try container.encode(cue.startSeconds, forKey: .start)
                try container.encode(cue.endSeconds, forKey: .end)
                try container.encode(cue.sheet, forKey: .sheet)
            }
        }

        /// The song's name for people and players' lists (``SongTitle``).
        public var displayTitle: String { SongTitle.display(title: title, artist: artist, path: path) }
    }

    public struct Entry: Codable, Sendable {
        /// The playlist's identity across updates: kept while the playlist lives, never given to another
        /// (``PlaylistDocument/nextId``); absent in older documents.
        public var id: Int?
        public var name: String
        /// The `.m3u8` file, relative to the output folder.
        public var file: String
        /// When the playlist was first written, and when its songs last changed (ISO 8601, UTC).
        public var created: String?
        public var updated: String?
        public var tracks: [Track]

        public init(name: String, file: String, tracks: [Track], id: Int? = nil, created: String? = nil,
                    updated: String? = nil) {
            self.id = id
            self.name = name
            self.file = file
            self.created = created
            self.updated = updated
            self.tracks = tracks
        }
    }

    /// What a run did to the set it found in its folder (`playlists --json` says it too).
    public struct Changes: Codable, Sendable, Equatable {
        /// How the set was made.
        public enum Mode: String, Codable, Sendable {
            /// A new set: no earlier one was in the folder.
            case new
            /// The earlier set, its playlists kept, new songs placed in them.
            case update
            /// Clustered again; new playlists took over the ids of the old ones they hold at least half of.
            case recluster
        }

        /// One playlist's new songs.
        public struct Added: Codable, Sendable, Equatable {
            public var id: Int
            public var name: String
            public var songs: Int

            public init(id: Int, name: String, songs: Int) {
                self.id = id
                self.name = name
                self.songs = songs
            }
        }

        /// An old playlist and what became of it under a recluster.
        public struct Fate: Codable, Sendable, Equatable {
            /// The old playlist's id and name.
            public var id: Int
            public var name: String
            /// The playlists (by name) that now hold its songs, most first.
            public var into: [String]

            public init(id: Int, name: String, into: [String]) {
                self.id = id
                self.name = name
                self.into = into
            }
        }

        /// How well an update's new songs fit the playlists they joined.
        public struct Drift: Codable, Sendable, Equatable {
            /// The new songs' mean distance to their playlist's centroid over the placed songs' mean distance
            /// (1: they fit as well as the songs already there).
            public var distanceRatio: Double
            /// The silhouette of the set before the update (as written then) and after it.
            public var silhouetteBefore: Double?
            public var silhouetteAfter: Double?
            /// True when ``distanceRatio`` passed the threshold above which a recluster is advised.
            public var advisesRecluster: Bool

            public init(distanceRatio: Double, silhouetteBefore: Double?, silhouetteAfter: Double?,
                        advisesRecluster: Bool) {
                self.distanceRatio = distanceRatio
                self.silhouetteBefore = silhouetteBefore
                self.silhouetteAfter = silhouetteAfter
                self.advisesRecluster = advisesRecluster
            }
        }

        public var mode: Mode
        /// Update: how well the new songs fit; nil when none was added.
        public var drift: Drift?
        /// Playlists kept from the earlier set (by id).
        public var keptPlaylists: Int
        /// New songs per playlist, in playlist order; playlists without new songs are left out.
        public var added: [Added]
        /// Songs of the earlier set whose files are gone.
        public var gone: Int
        /// Songs of the earlier set now in a playlist of another id (a changed song placed again, or a recluster).
        public var moved: Int
        /// Playlist files left alone because a person changed, renamed or removed them since SongAtlas wrote them.
        public var leftAlone: [String]
        /// Recluster: old playlists that took no new one over because their songs went to several (split),
        /// or into one that took over another's id (merged).
        public var split: [Fate]
        public var merged: [Fate]
        /// Recluster: old playlists whose id a new playlist of another name took over (`old name → new name`).
        public var renamed: [Fate]
        /// Why the earlier set was not updated (changed settings, a document that no longer matches its files…).
        public var reason: String?

        public init(mode: Mode, keptPlaylists: Int = 0, added: [Added] = [], gone: Int = 0, moved: Int = 0,
                    leftAlone: [String] = [], split: [Fate] = [], merged: [Fate] = [], renamed: [Fate] = [],
                    reason: String? = nil) {
            self.mode = mode
            self.keptPlaylists = keptPlaylists
            self.added = added
            self.gone = gone
            self.moved = moved
            self.leftAlone = leftAlone
            self.split = split
            self.merged = merged
            self.renamed = renamed
            self.reason = reason
        }

        /// Songs added in all.
        public var addedSongs: Int { added.reduce(0) { $0 + $1.songs } }
    }

    /// Songs of a cluster under the minimum playlist size, and the playlist they joined.
    public struct SmallMerge: Codable, Sendable, Equatable {
        /// The songs' paths.
        public var songs: [String]
        /// The name of the playlist they joined.
        public var into: String

        public init(songs: [String], into: String) {
            self.songs = songs
            self.into = into
        }
    }

    /// The settings a set was made with that an update cannot change (see ``changedSettings``).
    public struct Settings: Codable, Sendable, Equatable {
        /// The number of playlists asked for: a number, or `auto`.
        public var k: String

        public init(k: String) { self.k = k }
    }

    public struct Metrics: Codable, Sendable {
        public var silhouette: Double?
        public var daviesBouldin: Double?
        public var calinskiHarabasz: Double?
        public var inertia: Double?
        /// Agreement with reference labels, when given.
        public var agreement: Agreement?
        /// Tracks that had a reference label.
        public var labelledTrackCount: Int?

        public init(silhouette: Double?, daviesBouldin: Double?, calinskiHarabasz: Double?, inertia: Double?,
                    agreement: Agreement?, labelledTrackCount: Int?) {
            self.silhouette = silhouette
            self.daviesBouldin = daviesBouldin
            self.calinskiHarabasz = calinskiHarabasz
            self.inertia = inertia
            self.agreement = agreement
            self.labelledTrackCount = labelledTrackCount
        }
    }

    /// How well the playlists match reference labels (scikit-learn's `sklearn.metrics` scores, each in its
    /// own range: ARI and AMI up to 1, the others in [0, 1]).
    public struct Agreement: Codable, Sendable, Equatable {
        public var adjustedRandIndex: Double
        public var adjustedMutualInformation: Double
        public var normalizedMutualInformation: Double
        public var homogeneity: Double
        public var completeness: Double
        public var vMeasure: Double

        public init(adjustedRandIndex: Double, adjustedMutualInformation: Double, normalizedMutualInformation: Double,
                    homogeneity: Double, completeness: Double, vMeasure: Double) {
            self.adjustedRandIndex = adjustedRandIndex
            self.adjustedMutualInformation = adjustedMutualInformation
            self.normalizedMutualInformation = normalizedMutualInformation
            self.homogeneity = homogeneity
            self.completeness = completeness
            self.vMeasure = vMeasure
        }
    }

    /// One candidate number of playlists and its scores.
    public struct KScore: Codable, Sendable, Equatable {
        public var k: Int
        /// The mean silhouette at this k.
        public var silhouette: Double
        /// A Gaussian mixture's Bayesian information criterion at this k (lower is better); nil otherwise.
        public var bic: Double?

        public init(k: Int, silhouette: Double, bic: Double? = nil) {
            self.k = k
            self.silhouette = silhouette
            self.bic = bic
        }
    }

    public var featureVersion: Int
    /// The clustering algorithm (`kmeans`, `gmm`, `agglomerative`, `hdbscan`) and its settings, e.g. `gmm (diag)`.
    public var algorithm: String?
    public var k: Int
    public var kScores: [KScore]
    public var seed: UInt64
    /// The feature-group weights, by group name (`timbre`, `harmony`, …).
    public var weights: [String: Double]
    /// What songs were compared by (absent in older documents).
    public var features: ComparedFeatures?
    /// The embedding's model ("musicnn-mtt") when one was compared.
    public var embeddingModel: String?
    public var metrics: Metrics
    public var notes: [String]
    /// The settings asked for that ``algorithm``, ``features``, ``weights`` and ``embeddingModel`` do not record;
    /// absent in older documents (which then cannot be updated, only reclustered).
    public var settings: Settings?
    /// Clusters under the minimum playlist size that joined a playlist (so fewer playlists than ``k`` are written).
    public var smallMerges: [SmallMerge]?
    /// The id the next new playlist gets: ids are never given twice in one folder.
    public var nextId: Int?
    /// What this run did to the set it found; absent in older documents.
    public var changes: Changes?
    public var playlists: [Entry]

    public init(featureVersion: Int, k: Int, kScores: [KScore], seed: UInt64, weights: [String: Double],
                features: ComparedFeatures? = nil, embeddingModel: String? = nil,
                metrics: Metrics, notes: [String], playlists: [Entry], algorithm: String? = nil) {
        self.featureVersion = featureVersion
        self.features = features
        self.embeddingModel = embeddingModel
        self.algorithm = algorithm
        self.k = k
        self.kScores = kScores
        self.seed = seed
        self.weights = weights
        self.metrics = metrics
        self.notes = notes
        self.playlists = playlists
    }
}
