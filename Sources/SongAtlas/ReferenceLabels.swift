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
        let text: String
        do {
            text = RawPath.string(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw LabelError(description: "\(path): cannot read labels (\(error.localizedDescription))")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        if let labels = byHeader(text, folder: folder) { return labels }
        var labels: [String: String] = [:]
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || (number == 0 && trimmed.lowercased().hasPrefix("path,")) { continue }
            guard let comma = trimmed.lastIndex(of: ",") else {
                throw LabelError(description: "\(path):\(number + 1): expected `path,label`, got \(trimmed)")
            }
            let file = String(trimmed[..<comma]).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            let label = String(trimmed[trimmed.index(after: comma)...]).trimmingCharacters(in: .whitespaces)
            labels[key(PathURI.path(fromURI: file) ?? file, folder: folder)] = label
        }
        return labels
    }

    /// The labels of a CSV with a header naming its `path` and `label` (or `playlist`) columns,
    /// and perhaps a `uri` column; nil when the first row is not such a header.
    private static func byHeader(_ text: String, folder: URL) -> [String: String]? {
        let rows = CSVTable.parse(text)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
              let pathColumn = header.firstIndex(of: "path"),
              let labelColumn = header.firstIndex(of: "label") ?? header.firstIndex(of: "playlist")
        else { return nil }
        let uriColumn = header.firstIndex(of: "uri")
        var labels: [String: String] = [:]
        for row in rows.dropFirst() where row.count > max(pathColumn, labelColumn) {
            let uri = uriColumn.flatMap { row.indices.contains($0) && !row[$0].isEmpty ? row[$0] : nil }
            let file = PathURI.path(path: row[pathColumn], uri: uri)
            labels[key(PathURI.path(fromURI: file) ?? file, folder: folder)] = row[labelColumn]
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
