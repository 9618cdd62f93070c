import Clustering
import Export
import Features
import Foundation

extension PlaylistDocument {
    /// The document of a playlist set: each playlist with its file name, and the scores. The one mapping
    /// from the clustering's results (``ClusterCountScore``, ``PartitionAgreement``) to `playlists.json`.
    ///
    /// - Parameter agreement: scores against reference labels, when there are any.
    public init(_ set: PlaylistSet, agreement: (agreement: PartitionAgreement, labelled: Int)? = nil) {
        var entries: [Entry] = []
        for playlist in set.playlists {
            var file = Self.fileName(for: playlist.name) + ".m3u8"
            if entries.contains(where: { $0.file == file }) {
                file = Self.fileName(for: playlist.name) + " (\(entries.count + 1)).m3u8"
            }
            entries.append(Entry(name: playlist.name, file: file, tracks: playlist.tracks.map {
                var track = Track(path: $0.track.path, title: $0.track.title, artist: $0.track.artist, album: $0.track.album,
                                  durationSeconds: $0.track.durationSeconds, distanceToCentroid: $0.distanceToCentroid,
                                  membership: $0.membership, bridge: $0.membership == nil ? nil : $0.bridge)
                track.cue = $0.track.cueReference
                return track
            }))
        }
        self.init(
            featureVersion: SongSummary.version, k: set.k,
            kScores: set.kScores.map { KScore(k: $0.k, silhouette: $0.silhouette, bic: $0.bic) }, seed: set.seed,
            weights: Dictionary(uniqueKeysWithValues: FeatureGroup.allCases.map { ($0.rawValue, set.space.weights[$0]) }),
            features: ComparedFeatures(set.features),
            embeddingModel: set.features == .handcrafted ? nil : set.space.embedding?.model.identifier,
            metrics: Metrics(
                silhouette: set.quality?.silhouette, daviesBouldin: set.quality?.daviesBouldin,
                calinskiHarabasz: set.quality?.calinskiHarabasz, inertia: set.quality?.inertia,
                agreement: agreement.map { Agreement($0.agreement) }, labelledTrackCount: agreement?.labelled),
            notes: set.notes, playlists: entries, algorithm: set.clustering.summary)
        if !set.smallMerges.isEmpty {
            smallMerges = set.smallMerges.map { SmallMerge(songs: $0.songs, into: set.playlists[$0.playlist].name) }
        }
    }

    /// A playlist name made safe as a file name on every common file system.
    static func fileName(for name: String) -> String {
        let forbidden = CharacterSet(charactersIn: "/\\:*?\"<>|").union(.controlCharacters)
        let cleaned = String(name.unicodeScalars.map { forbidden.contains($0) ? "_" : Character($0) })
        return cleaned.trimmingCharacters(in: CharacterSet(charactersIn: ". ")).isEmpty ? "playlist" : cleaned
    }
}


extension PlaylistDocument.Agreement {
    /// The document's copy of the scores against reference labels, field by field (also the
    /// shape `evaluate clusters --json` can write).
    public init(_ agreement: PartitionAgreement) {
        self.init(adjustedRandIndex: agreement.adjustedRandIndex,
                  adjustedMutualInformation: agreement.adjustedMutualInformation,
                  normalizedMutualInformation: agreement.normalizedMutualInformation,
                  homogeneity: agreement.homogeneity, completeness: agreement.completeness, vMeasure: agreement.vMeasure)
    }
}
