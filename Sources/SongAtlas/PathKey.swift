import Foundation

/// A file path as one key: absolute, with `.`, `..` and repeated `/` resolved, symbolic links not followed.
///
/// What `URL(fileURLWithPath:).standardizedFileURL.path` gives, in plain
/// string work: Foundation's URL costs tens of microseconds a path on Linux,
/// which is most of a query over a 10,000-song cache.
enum PathKey {
    /// The key of `path`; relative paths are taken from `currentDirectory`.
    static func of(_ path: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> String {
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

    /// The folder of `key` (a key from ``of(_:currentDirectory:)``).
    static func folder(of key: String) -> String {
        guard let slash = key.lastIndex(of: "/"), slash != key.startIndex else { return "/" }
        return String(key[..<slash])
    }
}
