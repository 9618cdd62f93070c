import FilePaths
import Foundation

/// Turns absolute file paths into the URIs MPD knows its songs by: the path
/// relative to its music directory.
///
/// Both sides are compared as given (standardised: `.` and `..` resolved) and,
/// failing that, with symbolic links resolved, so a library reached through a
/// link still maps.
public struct MPDMusicDirectory: Sendable, Equatable {
    /// The music directory, absolute and standardised.
    public let path: String
    private let resolved: String

    /// - Parameter path: MPD's `music_directory` (a trailing `/` is fine; `~` is expanded).
    public init(_ path: String) {
        let expanded = (path as NSString).expandingTildeInPath
        self.path = PathKey.of(expanded)
        resolved = URL(fileURLWithPath: expanded).resolvingSymlinksInPath().path
    }

    /// The URI of `file`, or nil when it is not under the music directory.
    public func uri(of file: String) -> String? {
        let standard = PathKey.of(file)
        if let relative = Self.relative(standard, under: path) { return relative }
        let resolvedFile = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
        return Self.relative(resolvedFile, under: resolved)
    }

    static func relative(_ file: String, under root: String) -> String? {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard file.hasPrefix(prefix), file.count > prefix.count else { return nil }
        return String(file.dropFirst(prefix.count))
    }
}
