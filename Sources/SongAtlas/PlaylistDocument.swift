import Clustering
import Features
import Foundation
import Library

/// `playlists.json`: the playlists, how they were made and how good they are.
public struct PlaylistDocument: Codable, Sendable {
    public struct Track: Codable, Sendable {
        public var path: String
        public var title: String?
        public var artist: String?
        public var album: String?
        public var durationSeconds: Double
        public var distanceToCentroid: Double

        /// `Artist - Title`, or what there is of it, or the file name (for players' lists).
        public var displayTitle: String {
            switch (artist, title) {
            case let (artist?, title?): return "\(artist) - \(title)"
            case let (nil, title?): return title
            default: return URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            }
        }
    }

    public struct Entry: Codable, Sendable {
        public var name: String
        /// The `.m3u8` file, relative to the output folder.
        public var file: String
        public var tracks: [Track]
    }

    public struct Metrics: Codable, Sendable {
        public var silhouette: Double?
        public var daviesBouldin: Double?
        public var calinskiHarabasz: Double?
        public var inertia: Double?
        /// Agreement with reference labels, when given.
        public var agreement: PartitionAgreement?
        /// Tracks that had a reference label.
        public var labelledTrackCount: Int?
    }

    public var featureVersion: Int
    public var k: Int
    public var kScores: [ClusterCountScore]
    public var seed: UInt64
    public var weights: FeatureWeights
    public var metrics: Metrics
    public var notes: [String]
    public var playlists: [Entry]
}

extension PlaylistDocument {
    /// The document of a playlist set: each playlist with its file name, and the scores.
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
                Track(path: $0.track.path, title: $0.track.title, artist: $0.track.artist, album: $0.track.album,
                      durationSeconds: $0.track.durationSeconds, distanceToCentroid: $0.distanceToCentroid)
            }))
        }
        self.init(
            featureVersion: SongSummary.version, k: set.k, kScores: set.kScores, seed: set.seed,
            weights: set.space.weights,
            metrics: Metrics(
                silhouette: set.quality?.silhouette, daviesBouldin: set.quality?.daviesBouldin,
                calinskiHarabasz: set.quality?.calinskiHarabasz, inertia: set.quality?.inertia,
                agreement: agreement?.agreement, labelledTrackCount: agreement?.labelled),
            notes: set.notes, playlists: entries)
    }

    /// A playlist name made safe as a file name on every common file system.
    static func fileName(for name: String) -> String {
        let forbidden = CharacterSet(charactersIn: "/\\:*?\"<>|").union(.controlCharacters)
        let cleaned = String(name.unicodeScalars.map { forbidden.contains($0) ? "_" : Character($0) })
        return cleaned.trimmingCharacters(in: CharacterSet(charactersIn: ". ")).isEmpty ? "playlist" : cleaned
    }
}

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
