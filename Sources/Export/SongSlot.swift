/// One song of the library as the documents name it: its file and, for a cue sheet's track, the track
/// number. The tracks of one album image share a path; the slot tells them apart, so an earlier set read
/// back finds each of them again (a path alone would find the first track and call the others new).
public struct SongSlot: Hashable, Sendable {
    /// The audio file's path, as the documents write it.
    public var path: String
    /// The cue sheet's track number; nil for a whole file.
    public var track: Int?

    public init(path: String, track: Int?) {
        self.path = path
        self.track = track
    }
}

extension PlaylistDocument.Track {
    /// The song this entry names: its path and cue track.
    public var slot: SongSlot { SongSlot(path: path, track: cue?.track) }
}
