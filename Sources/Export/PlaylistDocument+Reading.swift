import Foundation

extension PlaylistDocument {
    /// Why a playlists.json was not read; ``description`` is one line starting with the path.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Reads a `playlists.json` a user hands back (`evaluate clusters`).
    ///
    /// The file is read through ``UserTextFile`` (a regular file of at most
    /// 64 MiB) and decoded with ``JSONOutput/decoder()``, so non-finite numbers
    /// written as `"nan"`/`"inf"` read back. Every track's duration must then be
    /// finite, from 0 to ``SegmentFile/maximumSeconds``.
    ///
    /// - Throws: ``ReadError`` naming the file and, for a bad value, the playlist, the track and the value.
    public static func read(_ path: String) throws -> PlaylistDocument {
        let data: Data
        do {
            data = try UserTextFile.data(path)
        } catch let error as UserTextFile.ReadError {
            throw ReadError(description: error.description)
        }
        return try parse(data, name: path)
    }

    /// Decodes and checks the bytes of a playlists.json; `name` goes in messages.
    ///
    /// - Throws: ``ReadError`` as ``read(_:)`` does.
    public static func parse(_ data: Data, name: String) throws -> PlaylistDocument {
        let document: PlaylistDocument
        do {
            document = try JSONOutput.decoder().decode(PlaylistDocument.self, from: data)
        } catch {
            throw ReadError(description: "\(name): not a playlists.json written by songatlas (\(JSONOutput.problem(error)))")
        }
        for (playlistIndex, playlist) in document.playlists.enumerated() {
            for (trackIndex, track) in playlist.tracks.enumerated() {
                let duration = track.durationSeconds
                guard duration.isFinite, duration >= 0, duration <= SegmentFile.maximumSeconds else {
                    throw ReadError(description: "\(name): playlist \(playlistIndex + 1), track \(trackIndex + 1): "
                        + "durationSeconds \(duration) is not a duration from 0 to \(Int(SegmentFile.maximumSeconds)) s")
                }
            }
        }
        return document
    }
}
