import GRDB

extension FeatureCache {
    /// Removes the entries of cue tracks (file, track number) a sheet no longer has; a file's
    /// whole-file entry (track 0) is never touched. Does nothing in a read-only cache.
    ///
    /// - Parameter slots: the tracks' standardised paths and track numbers (1 or more).
    /// - Returns: how many entries were removed.
    @discardableResult
    public func removeCueTracks(_ slots: [CueTrackSlot]) throws -> Int {
        let tracks = slots.filter { $0.track > 0 }
        guard !tracks.isEmpty, state.withLock({ $0.writable }) else { return 0 }
        return try writing {
            try database.write { db in
                var removed = 0
                for slot in tracks {
                    try db.execute(sql: "DELETE FROM track WHERE path = ? AND track = ?", arguments: [slot.path, slot.track])
                    removed += db.changesCount
                }
                return removed
            }
        } ?? 0
    }
}
