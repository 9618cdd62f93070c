import Foundation

/// A file path as one key: absolute, with `.`, `..` and repeated `/` resolved, symbolic links not followed.
///
/// SongAtlas's one path normalisation: the cache's keys, the song lookups of
/// `similar` and `path`, reference labels and playlist seeds all compare paths
/// through it. It gives what `URL(fileURLWithPath:).standardizedFileURL.path`
/// gives (a test holds the two side by side), in plain string work:
/// Foundation's URL costs tens of microseconds a path on Linux, which is most
/// of a query over a 10,000-song cache. Names that are not UTF-8 (``RawPath``)
/// pass through unchanged, byte for byte.
public enum PathKey {
    /// The key of `path`; relative paths are taken from `currentDirectory`.
    ///
    /// - Parameters:
    ///   - path: a file path, absolute or relative.
    ///   - currentDirectory: the folder relative paths start from; default the process's working folder.
    /// - Returns: an absolute path with no `.` or `..` components, no repeated `/` and no trailing `/`
    ///   (`/` itself stays `/`). A `..` above the root stays at the root.
    public static func of(_ path: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let absolute = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        // Most paths need nothing: no "/." and no "//" and no trailing "/" (checked on bytes: fast).
        var needsWork = false
        var previousSlash = false
        for byte in absolute.utf8 {
            if previousSlash && (byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".")) { needsWork = true; break }
            previousSlash = byte == UInt8(ascii: "/")
        }
        guard needsWork || (previousSlash && absolute.utf8.count > 1) else { return absolute }
        var parts: [Substring] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The folder of `key` (a key from ``of(_:currentDirectory:)``); `/` for a file at the root.
    public static func folder(of key: String) -> String {
        guard let slash = key.lastIndex(of: "/"), slash != key.startIndex else { return "/" }
        return String(key[..<slash])
    }
}
