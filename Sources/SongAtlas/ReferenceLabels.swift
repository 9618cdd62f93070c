import Clustering
import Export
import FilePaths
import Foundation

/// Reference labels for scoring playlists: from a CSV file or from folder names.
public enum ReferenceLabels {
    public struct LabelError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `path,label` rows (a header line `path,label` is skipped). Paths
    /// are taken relative to the CSV's folder unless absolute; keys are
    /// absolute standardised paths.
    ///
    /// A file whose header names a `path` column and a `label` or `playlist` column (such as the
    /// `playlists.csv` that `playlists` writes) is read by those columns, and a `uri` column, where
    /// it has a value, gives the path's exact bytes (``PathURI``). A path may also be a `file://`
    /// URI itself. Names that are not UTF-8 are kept byte for byte.
    public static func load(csv path: String) throws -> [String: String] {
        let rows: [ReferenceLabelFile.Row]
        do {
            rows = try ReferenceLabelFile.read(path)
        } catch let error as ReferenceLabelFile.FormatError {
            throw LabelError(description: error.description)
        }
        let folder = PathKey.folder(of: PathKey.of(path))
        var labels: [String: String] = [:]
        for row in rows {
            labels[key(PathURI.path(fromURI: row.path) ?? row.path, folder: folder)] = row.label
        }
        return labels
    }

    /// The key of `file`: absolute (relative to `folder`) and standardised (``PathKey``).
    private static func key(_ file: String, folder: String) -> String {
        PathKey.of(file, currentDirectory: folder)
    }

    /// The name of each track's folder, as its label.
    public static func fromFolders(_ paths: [String]) -> [String: String] {
        let here = FileManager.default.currentDirectoryPath
        return Dictionary(paths.map { path in
            let key = PathKey.of(path, currentDirectory: here)
            return (key, (PathKey.folder(of: key) as NSString).lastPathComponent)
        }, uniquingKeysWith: { first, _ in first })
    }

    /// How many of `paths` have a label in `labels` (keys from ``load(csv:)`` or ``fromFolders(_:)``).
    public static func labelledCount(_ paths: [String], labels: [String: String]) -> Int {
        let here = FileManager.default.currentDirectoryPath
        return paths.count { labels[PathKey.of($0, currentDirectory: here)] != nil }
    }

    /// Scores `clusters` (one per path) against `labels`; only labelled paths count.
    public static func agreement(paths: [String], clusters: [Int], labels: [String: String])
        -> (agreement: PartitionAgreement, labelled: Int)?
    {
        let here = FileManager.default.currentDirectoryPath
        var names: [String: Int] = [:]
        var reference: [Int] = []
        var predicted: [Int] = []
        for (path, cluster) in zip(paths, clusters) {
            guard let label = labels[PathKey.of(path, currentDirectory: here)] else { continue }
            if names[label] == nil { names[label] = names.count }
            reference.append(names[label]!)
            predicted.append(cluster)
        }
        guard !reference.isEmpty else { return nil }
        return (PartitionAgreement(reference: reference, predicted: predicted), reference.count)
    }

    /// Every track of a `playlists.json` in playlist order, each with the index of its playlist:
    /// the clusters ``agreement(paths:clusters:labels:)`` scores.
    ///
    /// Paths are as `playlists` wrote them (relative to where it ran, or absolute); a name that
    /// is not UTF-8 comes from the track's `uri`, byte for byte (``PlaylistDocument/Track``).
    /// A song in two playlists (a GMM bridge) counts in each.
    public static func assignments(in document: PlaylistDocument) -> (paths: [String], clusters: [Int]) {
        var paths: [String] = []
        var clusters: [Int] = []
        for (index, playlist) in document.playlists.enumerated() {
            for track in playlist.tracks {
                paths.append(track.path)
                clusters.append(index)
            }
        }
        return (paths, clusters)
    }
}
