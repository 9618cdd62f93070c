import Foundation

/// A song's path as every document writes it: `path` in its display form and,
/// when the name is not UTF-8, `uri` with its exact bytes (``PathURI``).
///
/// The one place where a document's path key pair is written and read, so
/// `playlists.json`, `dendrogram.json`, `map.json` and the `similar`/`path`
/// lists agree. Reading takes the `uri` first, when it is there and valid,
/// and falls back to the `path` text.
public struct DocumentPath: Sendable, Equatable {
    /// The path as the program holds it (``RawPath`` escapes for bytes that are not UTF-8).
    public var path: String

    public init(_ path: String) { self.path = path }

    /// The display form documents write as `path` (``PathURI/text(_:)``).
    public var text: String { PathURI.text(path) }

    /// The `file://` URI of the exact bytes, nil for a UTF-8 path (``PathURI/uri(_:)``).
    public var uri: String? { PathURI.uri(path) }

    /// Writes the pair under `pathKey` and, when the path is not UTF-8, `uriKey`.
    ///
    /// - Parameters:
    ///   - container: the document's keyed container.
    ///   - pathKey: the key of the display form (`path`, `seed`).
    ///   - uriKey: the key of the URI (`uri`, `seedURI`).
    public func encode<Key: CodingKey>(to container: inout KeyedEncodingContainer<Key>, path pathKey: Key,
                                       uri uriKey: Key) throws {
        try container.encode(text, forKey: pathKey)
        try container.encodeIfPresent(uri, forKey: uriKey)
    }

    /// Reads the pair written by ``encode(to:path:uri:)``: the `uri` when present and valid, else the `path` text.
    ///
    /// - Throws: `DecodingError` when `pathKey` is missing or not a string.
    public init<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, path pathKey: Key, uri uriKey: Key) throws {
        let uri = try container.decodeIfPresent(String.self, forKey: uriKey)
        self.path = PathURI.path(path: try container.decode(String.self, forKey: pathKey), uri: uri)
    }
}
