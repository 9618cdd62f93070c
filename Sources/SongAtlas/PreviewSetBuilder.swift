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
    /// Where encoded previews are kept between runs.
    public var cache: PreviewCache

    public init(choice: Choice, seconds: Double, format: PreviewFormat, cache: PreviewCache = PreviewCache()) {
        self.choice = choice
        self.seconds = seconds
        self.format = format
        self.cache = cache
    }

    /// What was encoded: the set to commit with the page, the file name per song index,
    /// a message per song that could not be encoded (it keeps its own source), and how many
    /// previews were encoded now rather than taken from the cache.
    public struct Result {
        public var set: OutputSet
        public var previews: [Int: String]
        public var failures: [String]
        public var encodedCount: Int
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
        var previews: [Int: String] = [:]
        var failures: [String] = []
        var encodedCount = 0
        for (index, song) in songs.enumerated() where choice == .all || !PreviewSources.browserPlays(song.path) {
            let name = PreviewSources.fileName(for: song.path, fileExtension: format.fileExtension)
            do {
                let cached = try cache.preview(of: song.path, startSeconds: startSeconds(durationSeconds: song.durationSeconds),
                                               seconds: seconds, format: format)
                if cached.encoded { encodedCount += 1 }
                try set.add(name, try Data(contentsOf: URL(fileURLWithPath: cached.path)))
                previews[index] = name
                progress?("preview \(previews.count): \(name)")
            } catch let error as PreviewEncodingError {
                failures.append("no preview of \(song.path): \(error)")
            }
        }
        return Result(set: set, previews: previews, failures: failures, encodedCount: encodedCount)
    }
}
