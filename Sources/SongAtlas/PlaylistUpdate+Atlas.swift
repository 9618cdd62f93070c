import Clustering
import Export
import Foundation
import Library

extension Atlas {
    /// Makes the playlists of a folder that may already hold a set an earlier run wrote: updates that
    /// set (``PlaylistUpdate/update(_:tracks:builder:placed:now:labels:)``), or clusters afresh and matches
    /// the new playlists to the old ones (``PlaylistUpdate/matched(_:previous:builder:unavailableFiles:now:reason:)``),
    /// or, with no earlier set, makes a new one.
    ///
    /// - Parameters:
    ///   - tracks: the analysed library.
    ///   - builder: how to cluster; for an update, the settings the earlier set was made with.
    ///   - previous: the earlier set's document, when the folder holds one that no one changed since.
    ///   - recluster: cluster afresh even when the earlier set could be updated.
    ///   - unavailableFiles: the earlier set's playlist files a person changed, renamed or removed.
    ///   - reason: why the earlier set, if any, is not trusted (then `previous` is nil): said in the changes.
    ///   - labels: reference labels by path, to score the playlists against.
    ///   - now: the run's time; default the current time.
    ///   - cancellation: stops the clustering at its next iteration; default never.
    /// - Returns: the document, and the fresh clustering's set when there was one (nil for an update).
    /// - Throws: ``PlaylistUpdate/SettingsChanged`` when an update is asked for with other settings;
    ///   ``PlaylistBuilder/BuildError``, ``ClusteringError``.
    public static func keptPlaylists(
        _ tracks: [TrackAnalysis], builder: PlaylistBuilder, previous: PlaylistDocument?, recluster: Bool = false,
        unavailableFiles: Set<String> = [], reason: String? = nil, labels: [String: String]? = nil, now: Date = Date(),
        cancellation: Cancellation = .never
    ) throws -> (document: PlaylistDocument, set: PlaylistSet?) {
        guard !tracks.isEmpty else { throw PlaylistBuilder.BuildError.noTracks }
        let time = PlaylistUpdate.timestamp(now)
        let placed = builder.space.place(tracks)
        var why = reason
        if let previous, !recluster {
            if previous.settings == nil {
                why = "the set was written before playlists kept their ids"
            } else {
                let changes = PlaylistUpdate.changedSettings(from: previous, builder: builder, placed: placed)
                guard changes.isEmpty else { throw PlaylistUpdate.SettingsChanged(changes: changes) }
                if var updated = try PlaylistUpdate.update(previous, tracks: tracks, builder: builder, placed: placed,
                                                           now: time, labels: labels) {
                    updated.changes?.leftAlone = unavailableFiles.intersection(updated.playlists.map(\.file)).sorted()
                    return (updated, nil)
                }
                why = "none of its songs is left"
            }
        } else if previous != nil {
            why = why ?? "--recluster"
        }
        let set = try builder.build(tracks, placed: placed, cancellation: cancellation)
        let agreement = labels.flatMap { ReferenceLabels.agreement(paths: tracks.map(\.path), clusters: set.labels, labels: $0) }
        let fresh = PlaylistDocument(set, agreement: agreement)
        if let previous {
            return (PlaylistUpdate.matched(fresh, previous: previous, builder: builder, unavailableFiles: unavailableFiles,
                                           now: time, reason: why), set)
        }
        var document = PlaylistUpdate.stamped(fresh, builder: builder, now: time)
        // A file a person changed is never written over: a playlist that would take its name gets another.
        var used = unavailableFiles
        for index in document.playlists.indices where unavailableFiles.contains(document.playlists[index].file) {
            document.playlists[index].file = PlaylistUpdate.freeFile(for: document.playlists[index].name, avoiding: &used)
        }
        document.changes?.reason = why
        document.changes?.leftAlone = unavailableFiles.sorted()
        return (document, set)
    }
}
