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
    /// How each preview's start is chosen: at the song's highlight, else at 0.
    public var highlight = PreviewHighlight()

    public init(choice: Choice, seconds: Double, format: PreviewFormat, cache: PreviewCache = PreviewCache()) {
        self.choice = choice
        self.seconds = seconds
        self.format = format
        self.cache = cache
    }

    /// What was encoded: the set to commit with the page, the file name per song index,
    /// where each preview starts in its song, a message per song that could not be encoded
    /// (it keeps its own source), and how many previews were encoded now rather than taken from the cache.
    public struct Result {
        public var set: OutputSet
        public var previews: [Int: String]
        /// Seconds into the song, per song index, as ``previews``.
        public var startSeconds: [Int: Double]
        public var failures: [String]
        public var encodedCount: Int
    }

    /// Encodes the previews of `songs` for the page `htmlPath`, each from its song's highlight
    /// (``PreviewHighlight``: one decode per song encoded; none for a song whose preview is cached).
    ///
    /// - Throws: ``OutputError`` when the previews' folder cannot be written to.
    public func build(_ songs: [SongMapDocument.Song], htmlPath: String, rules: OutputRules = OutputRules(),
                      progress: ((String) -> Void)? = nil) throws -> Result {
        let set = try PreviewSources.outputSet(htmlPath: htmlPath, rules: rules)
        var previews: [Int: String] = [:]
        var starts: [Int: Double] = [:]
        var failures: [String] = []
        var encodedCount = 0
        for (index, song) in songs.enumerated() where choice == .all || !PreviewSources.browserPlays(song.path) {
            let name = PreviewSources.fileName(for: song.path, fileExtension: format.fileExtension)
            do {
                let cached = try cache.highlightPreview(of: song.path, seconds: seconds, format: format,
                                                        highlight: highlight)
                if cached.encoded { encodedCount += 1 }
                try set.add(name, try Data(contentsOf: URL(fileURLWithPath: cached.path)))
                previews[index] = name
                starts[index] = cached.startSeconds
                progress?("preview \(previews.count): \(name)")
            } catch let error as PreviewEncodingError {
                failures.append("no preview of \(song.path): \(error)")
            }
        }
        return Result(set: set, previews: previews, startSeconds: starts, failures: failures, encodedCount: encodedCount)
    }
}
