/// How a file came to be analysed into the cache: as part of a library, or only as a one-off seed.
///
/// A library record comes from a scan of the music the user gave as a library:
/// a folder (or file) given to `playlists`, `map`, `analyze`, `duplicates` or
/// `--library`. A seed record comes from a song named only as the seed of
/// `similar` or an anchor of `path`: it is used as that seed again, but it is
/// never recommended by `similar` or `path` when they search the whole cache,
/// and its failure is never reported as a change to the library.
public enum RecordOrigin: String, Sendable, Equatable, CaseIterable {
    /// Analysed as part of a library scan (and every record of a cache of schema 2).
    case library
    /// Analysed only as a seed or anchor, outside any library scan.
    case seed

    /// The origin stored in the `origin` column; an empty column (a record of
    /// schema 2) or an unknown value is ``library``, as every record was then.
    init(stored: String?) {
        self = stored.flatMap(RecordOrigin.init(rawValue:)) ?? .library
    }

    /// The origin of a record analysed again as `other`: a library record stays
    /// one when it is analysed as a seed; a seed record becomes a library record
    /// once a library scan reaches it.
    public func merged(with other: RecordOrigin) -> RecordOrigin {
        self == .library || other == .library ? .library : .seed
    }
}
