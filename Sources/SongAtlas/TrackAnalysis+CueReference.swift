import Export
import Library

extension TrackAnalysis {
    /// Where the song lies in its file, as documents carry it; nil for a whole file.
    public var cueReference: CueTrackReference? {
        cueTrack.map {
            CueTrackReference(track: $0.trackNumber, startSeconds: $0.startSeconds, endSeconds: $0.endSeconds,
                              sheet: $0.sheetPath)
        }
    }
}

extension TrackAnalysis {
    /// The song as the documents name it (``SongSlot``): its path and cue track.
    public var slot: SongSlot { SongSlot(path: path, track: cueTrackNumber) }
}
