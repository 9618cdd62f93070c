import Foundation

/// An extended M3U playlist in UTF-8 (`.m3u8`), as VLC, mpv and most players read it.
///
/// `#EXTM3U`, then per entry `#EXTINF:<seconds>,<display title>` and the path.
/// Paths are written relative to the playlist's folder when the track is
/// inside `relativeRoot`, absolute otherwise.
public struct M3U8Playlist: Sendable {
    public struct Entry: Sendable {
        public var path: String
        public var durationSeconds: Double
        public var displayTitle: String

        public init(path: String, durationSeconds: Double, displayTitle: String) {
            self.path = path
            self.durationSeconds = durationSeconds
            self.displayTitle = displayTitle
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The playlist text for a file to be written in `playlistFolder`.
    ///
    /// - Parameter relativeRoot: tracks under this folder, when the playlist is
    ///   under it too, are written relative to `playlistFolder`.
    public func rendered(playlistFolder: String, relativeRoot: String?) -> String {
        let folder = URL(fileURLWithPath: playlistFolder).standardizedFileURL.path
        let root = relativeRoot.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let playlistInsideRoot = root.map { folder == $0 || folder.hasPrefix($0 + "/") } ?? false
        var text = "#EXTM3U\n"
        for entry in entries {
            let absolute = URL(fileURLWithPath: entry.path).standardizedFileURL.path
            var written = absolute
            if playlistInsideRoot, let root, absolute.hasPrefix(root + "/") {
                written = Self.relativePath(from: folder, to: absolute)
            }
            // A line break in a path would break the format: such a path goes as a file:// URL,
            // which players accept and which percent-encodes it.
            if written.contains(where: { $0 == "\n" || $0 == "\r" }) {
                written = URL(fileURLWithPath: absolute).absoluteString
            }
            // A line break in a title would too: fold it.
            let title = entry.displayTitle.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            let seconds = entry.durationSeconds.isFinite ? Int(entry.durationSeconds.rounded()) : -1
            text += "#EXTINF:\(seconds),\(title)\n\(written)\n"
        }
        return text
    }

    /// The path of `target` relative to `folder` (both absolute, standardised).
    public static func relativePath(from folder: String, to target: String) -> String {
        let from = folder.split(separator: "/")
        let to = target.split(separator: "/")
        var common = 0
        while common < from.count && common < to.count - 1 && from[common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        return (ups + to[common...].map(String.init)).joined(separator: "/")
    }
}
