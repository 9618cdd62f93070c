import Foundation

/// What `similar` and `path` write: a list of songs and how it was made.
///
/// The JSON form (``JSONOutput``) is this value; the text, M3U8 and CSV forms
/// are rendered from it (``SongListDocument/rendered(_:playlistFolder:)``). Every field is of a type
/// declared in Export (`Golden/song-list-schema.json` pins the keys).
public struct SongListDocument: Codable, Sendable, Equatable {
    /// Which command made the list.
    public enum Kind: String, Codable, Sendable {
        /// Songs like the seeds.
        case similar
        /// A path from one song to another.
        case path
    }

    /// What a song is in the list.
    public enum Role: String, Codable, Sendable {
        /// A seed of `similar`.
        case seed
        /// A song found by `similar`.
        case similar
        /// The start of a path.
        case from
        /// A waypoint of a path.
        case via
        /// The end of a path.
        case to
        /// A song filling a path between its anchors.
        case step
    }

    public struct Song: Codable, Sendable, Equatable {
        public var path: String
        public var title: String?
        public var artist: String?
        public var album: String?
        public var durationSeconds: Double
        public var role: Role
        /// How alike the song is to its nearest seed (`similar`) or to the song before it (`path`), in [0, 1]:
        /// 1 is the same song. OpenSubsonic's `sonicSimilarity` has the same range and sense.
        public var similarity: Double?
        /// Euclidean distance in the feature space to its nearest seed (`similar`) or the song before (`path`).
        public var distance: Double?
        /// The seed a `similar` song is nearest to (its path).
        public var seed: String?
        /// The cue sheet track the song is, written as `track`, `start`, `end` and `sheet` (as in
        /// `playlists.json`); nil (absent) for a whole file.
        public var cue: CueTrackReference?

        public init(path: String, title: String?, artist: String?, album: String?, durationSeconds: Double,
                    role: Role, similarity: Double? = nil, distance: Double? = nil, seed: String? = nil,
                    cue: CueTrackReference? = nil) {
            self.path = path
            self.title = title
            self.artist = artist
            self.album = album
            self.durationSeconds = durationSeconds
            self.role = role
            self.similarity = similarity
            self.distance = distance
            self.seed = seed
            self.cue = cue
        }

        private enum CodingKeys: String, CodingKey {
            case path, uri, title, artist, album, durationSeconds, role, similarity, distance, seed, seedURI
            case track, start, end, sheet
        }

        /// Reads a song, taking its path (and its seed's) from the URI when there is one (``DocumentPath``).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try DocumentPath(from: container, path: .path, uri: .uri).path
            title = try container.decodeIfPresent(String.self, forKey: .title)
            artist = try container.decodeIfPresent(String.self, forKey: .artist)
            album = try container.decodeIfPresent(String.self, forKey: .album)
            durationSeconds = try container.decode(Double.self, forKey: .durationSeconds)
            role = try container.decode(Role.self, forKey: .role)
            similarity = try container.decodeIfPresent(Double.self, forKey: .similarity)
            distance = try container.decodeIfPresent(Double.self, forKey: .distance)
            seed = try container.decodeIfPresent(String.self, forKey: .seed) == nil ? nil
                : try DocumentPath(from: container, path: .seed, uri: .seedURI).path
            if let track = try container.decodeIfPresent(Int.self, forKey: .track) {
                cue = CueTrackReference(
                    track: track, startSeconds: try container.decode(Double.self, forKey: .start),
                    endSeconds: try container.decode(Double.self, forKey: .end),
                    sheet: try container.decodeIfPresent(String.self, forKey: .sheet) ?? path)
            }
        }

        /// Writes paths in their display form, each with a URI of its exact bytes when it is not UTF-8.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try DocumentPath(path).encode(to: &container, path: .path, uri: .uri)
            try container.encodeIfPresent(title, forKey: .title)
            try container.encodeIfPresent(artist, forKey: .artist)
            try container.encodeIfPresent(album, forKey: .album)
            try container.encode(durationSeconds, forKey: .durationSeconds)
            try container.encode(role, forKey: .role)
            try container.encodeIfPresent(similarity, forKey: .similarity)
            try container.encodeIfPresent(distance, forKey: .distance)
            if let seed { try DocumentPath(seed).encode(to: &container, path: .seed, uri: .seedURI) }
            if let cue {
                try container.encode(cue.track, forKey: .track)
                try container.encode(cue.startSeconds, forKey: .start)
                try container.encode(cue.endSeconds, forKey: .end)
                try container.encode(cue.sheet, forKey: .sheet)
            }
        }

        /// The song's name for people and players (``SongTitle``).
        public var displayTitle: String { SongTitle.display(title: title, artist: artist, path: path) }
    }

    /// How even a path's steps are.
    public struct Steps: Codable, Sendable, Equatable {
        public var mean: Double
        public var largest: Double
        /// The straight line's length through the anchors over the number of steps: the ideal step.
        public var even: Double
        /// Positions (0-based) of the songs after which a step is a gap (nothing lies between).
        public var gapsAfter: [Int]

        public init(mean: Double, largest: Double, even: Double, gapsAfter: [Int]) {
            self.mean = mean
            self.largest = largest
            self.even = even
            self.gapsAfter = gapsAfter
        }
    }

    public var kind: Kind
    /// The representation songs were compared by.
    public var features: ComparedFeatures
    /// `similar`: the seeds, then the similar songs. `path`: the path, FROM first and TO last.
    public var songs: [Song]
    /// A path's steps; nil for `similar`.
    public var steps: Steps?
    /// What the user should know (fallbacks, gaps, fewer songs than asked for).
    public var notes: [String]

    public init(kind: Kind, features: ComparedFeatures, songs: [Song], steps: Steps? = nil, notes: [String] = []) {
        self.kind = kind
        self.features = features
        self.songs = songs
        self.steps = steps
        self.notes = notes
    }

    /// The songs to play, in order (the seeds first for `similar`).
    public var paths: [String] { songs.map(\.path) }
}
