import FilePaths
import Foundation

/// The two text forms of a path in JSON and CSV documents, and the way back.
///
/// A file name that is not UTF-8 (a Latin-1 `Caf\xE9.flac`) has no exact JSON
/// or CSV string. Documents write it twice: `path` in its display form
/// (``RawPath/display(_:)``, `\xNN`, for people) and `uri`, a `file://` URI
/// (RFC 8089) of the absolute path's exact bytes, percent-encoded per RFC 3986,
/// as M3U8 and `analyze`'s `pathURI` already do. A UTF-8 path is its own text
/// and gets no `uri`. Our readers take the `uri` when there is one
/// (``path(path:uri:)``), so every path read back can be opened.
public enum PathURI {
    /// The `file://` URI of `path` (made absolute against the working folder) when its name
    /// is not UTF-8 text; nil for a UTF-8 path.
    public static func uri(_ path: String) -> String? {
        guard !RawPath.isText(path) else { return nil }
        return M3U8Playlist.fileURI(absolutePath: PathKey.of(path))
    }

    /// `path` as documents write it: its display form.
    public static func text(_ path: String) -> String { RawPath.display(path) }

    /// The path a `file://` URI names, with its bytes exactly (``RawPath/string(_:)``); nil when
    /// `uri` is not a `file://` URI with an absolute path, or has a malformed `%` escape.
    public static func path(fromURI uri: String) -> String? {
        var rest = Substring(uri)
        guard rest.lowercased().hasPrefix("file://") else { return nil }
        rest = rest.dropFirst("file://".count)
        if rest.lowercased().hasPrefix("localhost/") { rest = rest.dropFirst("localhost".count) }
        guard rest.hasPrefix("/") else { return nil }
        var bytes: [UInt8] = []
        let utf8 = Array(rest.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%") {
                guard index + 2 < utf8.count,
                      let byte = UInt8(String(decoding: utf8[index + 1...index + 2], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        guard !bytes.contains(0) else { return nil }
        return RawPath.string(bytes)
    }

    /// The path a document gives: its `uri` when present and valid, else its `path` text.
    public static func path(path: String, uri: String?) -> String {
        uri.flatMap { self.path(fromURI: $0) } ?? path
    }
}
