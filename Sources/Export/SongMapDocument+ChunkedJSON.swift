import Foundation

extension SongMapDocument {
    /// Songs encoded per piece by ``chunkedJSON(encoder:songsPerChunk:)``.
    public static let songsPerJSONChunk = 4096

    /// `map.json`'s bytes, exactly as `encoder.encode(self)` gives them, made a few thousand songs at a time.
    ///
    /// Foundation's `JSONEncoder` builds a tree of the whole value before writing it, which for a map of
    /// 100,000 songs costs several times the file's size in memory. Here the document is encoded without
    /// its songs, and the songs in pieces of `songsPerChunk`, each piece's array spliced into the place
    /// of the empty `"songs":[]`. A pretty-printing encoder (whose indentation depends on the depth) and a
    /// document of one piece are encoded whole.
    ///
    /// - Parameters:
    ///   - encoder: the encoder `map.json` is written with (``JSONOutput/encoder(pretty:)``).
    ///   - songsPerChunk: songs per piece, ≥ 1; default ``songsPerJSONChunk``.
    /// - Returns: the same bytes as `encoder.encode(self)`.
    /// - Throws: what the encoder throws.
    /// - Complexity: O(size of the output); the encoder's tree holds one piece at a time.
    public func chunkedJSON(encoder: JSONEncoder, songsPerChunk: Int = songsPerJSONChunk) throws -> Data {
        let chunk = max(1, songsPerChunk)
        guard songs.count > chunk, !encoder.outputFormatting.contains(.prettyPrinted) else { return try encoder.encode(self) }
        var skeleton = self
        skeleton.songs = []
        let outer = try encoder.encode(skeleton)
        // Keys are sorted or not, but a quote inside a string is escaped, so this marker is the key itself.
        guard let marker = outer.range(of: Data(#""songs":[]"#.utf8)) else { return try encoder.encode(self) }
        var data = Data()
        data.append(outer[..<marker.lowerBound])
        data.append(contentsOf: Array(#""songs":["#.utf8))
        for start in stride(from: 0, to: songs.count, by: chunk) {
            let piece = try encoder.encode(Array(songs[start..<min(songs.count, start + chunk)]))
            if start > 0 { data.append(UInt8(ascii: ",")) }
            data.append(piece.dropFirst().dropLast())        // without the piece's own brackets
        }
        data.append(UInt8(ascii: "]"))
        data.append(outer[marker.upperBound...])
        return data
    }
}
