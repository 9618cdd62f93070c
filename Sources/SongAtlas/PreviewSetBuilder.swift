import AudioDecoding
import Export
import Foundation

/// Encodes the map's previews (``PreviewEncoder``) into an ``OutputSet`` of
/// the folder beside the page, to be committed with the page.
public struct PreviewSetBuilder {
    /// Which songs get a preview.
    public enum Choice: String, Sendable, CaseIterable {
        /// Only songs a browser cannot play (``PreviewSources/browserPlays(_:)``).
        case browser
        /// Every song.
        case all
    }

    public var choice: Choice
    /// Length of each preview in seconds, > 0.
    public var seconds: Double
    public var format: PreviewFormat

    public init(choice: Choice, seconds: Double, format: PreviewFormat) {
        self.choice = choice
        self.seconds = seconds
        self.format = format
    }

    /// What was encoded: the set to commit with the page, the file name per song index,
    /// and a message per song that could not be encoded (it keeps its own source).
    public struct Result {
        public var set: OutputSet
        public var previews: [Int: String]
        public var failures: [String]
    }

    /// Where a preview of `song` starts: 30 % into the song, moved earlier so that the
    /// preview fits before its end (the map's records carry no highlight); 0 when the length is unknown.
    public func startSeconds(durationSeconds: Double?) -> Double {
        guard let duration = durationSeconds, duration.isFinite, duration > 0 else { return 0 }
        return max(0, min(0.3 * duration, duration - seconds))
    }

    /// Encodes the previews of `songs` for the page `htmlPath`.
    ///
    /// - Throws: ``OutputError`` when the previews' folder cannot be written to.
    public func build(_ songs: [SongMapDocument.Song], htmlPath: String, rules: OutputRules = OutputRules(),
                      progress: ((String) -> Void)? = nil) throws -> Result {
        let set = try PreviewSources.outputSet(htmlPath: htmlPath, rules: rules)
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("songatlas-previews-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var previews: [Int: String] = [:]
        var failures: [String] = []
        for (index, song) in songs.enumerated() where choice == .all || !PreviewSources.browserPlays(song.path) {
            let name = PreviewSources.fileName(for: song.path, fileExtension: format.fileExtension)
            let encoded = (scratch as NSString).appendingPathComponent(name)
            do {
                try PreviewEncoder.encodeRange(of: song.path, startSeconds: startSeconds(durationSeconds: song.durationSeconds),
                                               seconds: seconds, to: encoded, format: format)
                try set.add(name, try Data(contentsOf: URL(fileURLWithPath: encoded)))
                previews[index] = name
                progress?("preview \(previews.count): \(name)")
            } catch let error as PreviewEncodingError {
                failures.append("no preview of \(song.path): \(error)")
            }
        }
        return Result(set: set, previews: previews, failures: failures)
    }
}
