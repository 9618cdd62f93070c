import Clustering
import Export
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
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var labels: [String: String] = [:]
        for row in rows {
            labels[key(PathURI.path(fromURI: row.path) ?? row.path, folder: folder)] = row.label
        }
        return labels
    }

    /// The key of `file`: absolute (relative to `folder`) and standardised.
    private static func key(_ file: String, folder: URL) -> String {
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file)
        return url.standardizedFileURL.path
    }

    /// The name of each track's folder, as its label.
    public static func fromFolders(_ paths: [String]) -> [String: String] {
        Dictionary(paths.map { path in
            let url = URL(fileURLWithPath: path).standardizedFileURL
            return (url.path, url.deletingLastPathComponent().lastPathComponent)
        }, uniquingKeysWith: { first, _ in first })
    }

    /// Scores `clusters` (one per path) against `labels`; only labelled paths count.
    public static func agreement(paths: [String], clusters: [Int], labels: [String: String])
        -> (agreement: PartitionAgreement, labelled: Int)?
    {
        var names: [String: Int] = [:]
        var reference: [Int] = []
        var predicted: [Int] = []
        for (path, cluster) in zip(paths, clusters) {
            guard let label = labels[URL(fileURLWithPath: path).standardizedFileURL.path] else { continue }
            if names[label] == nil { names[label] = names.count }
            reference.append(names[label]!)
            predicted.append(cluster)
        }
        guard !reference.isEmpty else { return nil }
        return (PartitionAgreement(reference: reference, predicted: predicted), reference.count)
    }
}
