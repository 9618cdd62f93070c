import Clustering
import Foundation

/// Reference labels for scoring playlists: from a CSV file or from folder names.
public enum ReferenceLabels {
    public struct LabelError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `path,label` rows (a header line `path,label` is skipped). Paths
    /// are taken relative to the CSV's folder unless absolute; keys are
    /// absolute standardised paths.
    public static func load(csv path: String) throws -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LabelError(description: "\(path): cannot read labels (\(error.localizedDescription))")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var labels: [String: String] = [:]
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || (number == 0 && trimmed.lowercased().hasPrefix("path,")) { continue }
            guard let comma = trimmed.lastIndex(of: ",") else {
                throw LabelError(description: "\(path):\(number + 1): expected `path,label`, got \(trimmed)")
            }
            let file = String(trimmed[..<comma]).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            let label = String(trimmed[trimmed.index(after: comma)...]).trimmingCharacters(in: .whitespaces)
            let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file)
            labels[url.standardizedFileURL.path] = label
        }
        return labels
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
