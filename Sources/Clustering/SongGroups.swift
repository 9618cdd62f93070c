/// Which songs share an artist, an album or a work, as small integer ids.
///
/// The similarity ranking (``SimilarityRanking``) caps how many results share
/// an artist or an album and drops a result that is another copy of a work
/// already in the list (the album, live and best-of copies of one song). It
/// only compares ids; deciding that two spellings name the same artist or
/// title is the caller's job (SongAtlas normalises the tags).
///
/// An id of ``unknown`` (a missing tag) matches nothing, not even another
/// unknown: songs without tags are never capped or merged on tags.
public struct SongGroups: Sendable, Equatable {
    /// The id of a missing tag.
    public static let unknown = -1

    /// Artist id per song.
    public var artist: [Int]
    /// Album id per song.
    public var album: [Int]
    /// Work id per song: songs with the same id are copies of one piece.
    public var work: [Int]

    /// Groups from per-song ids; all three arrays have one entry per song.
    ///
    /// - Precondition: the arrays are equally long (a programmer error otherwise).
    public init(artist: [Int], album: [Int], work: [Int]) {
        precondition(artist.count == album.count && album.count == work.count, "group arrays differ in length")
        self.artist = artist
        self.album = album
        self.work = work
    }

    /// `count` songs with no tags: nothing is capped or merged on tags.
    public init(untagged count: Int) {
        let unknown = [Int](repeating: Self.unknown, count: count)
        self.init(artist: unknown, album: unknown, work: unknown)
    }

    /// How many songs there are.
    public var count: Int { artist.count }

    /// Ids for string keys: equal keys get equal ids, nil gets ``unknown``.
    ///
    /// - Parameter keys: one key per song (already normalised), nil when unknown.
    /// - Returns: one id per song, numbered from 0 in order of first appearance.
    public static func ids(_ keys: [String?]) -> [Int] {
        var table: [String: Int] = [:]
        return keys.map { key in
            guard let key else { return unknown }
            if let id = table[key] { return id }
            table[key] = table.count
            return table.count - 1
        }
    }
}
