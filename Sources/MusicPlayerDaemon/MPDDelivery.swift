import Foundation

/// What was handed to MPD, and what could not be.
public struct MPDDelivery: Sendable, Equatable {
    /// A file MPD did not take, and why.
    public struct Refusal: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    /// The music directory the paths were mapped under.
    public var musicDirectory: String
    /// Songs added to the queue.
    public var queued = 0
    /// Stored playlists written, by their names in MPD (``storedPlaylistName(_:)``).
    public var storedPlaylists: [String] = []
    /// Stored playlists of SongAtlas's that were removed, by their names in MPD.
    public var removedPlaylists: [String] = []
    /// Files outside the music directory: MPD cannot play them from there, so they were not sent.
    public var outside: [String] = []
    /// Files the daemon refused (typically: not in its database yet; run `mpc update`).
    public var refused: [Refusal] = []

    /// The start of the name of every stored playlist SongAtlas writes, and so of every one it may replace.
    public static let storedPlaylistPrefix = "SongAtlas - "

    /// The name in MPD of the stored playlist SongAtlas writes for a playlist called `name`:
    /// ``storedPlaylistPrefix`` and `name`.
    ///
    /// SongAtlas's own namespace in MPD: a stored playlist the user made under
    /// another name is never replaced, whatever the playlist is called.
    public static func storedPlaylistName(_ name: String) -> String { storedPlaylistPrefix + name }

    /// Sends songs to a daemon: appends `queue` to its queue (after clearing it when `replace`), and
    /// writes each of `playlists` as a stored playlist named ``storedPlaylistName(_:)``.
    ///
    /// Every absolute path is mapped to its URI under the music directory
    /// (``MPDMusicDirectory``). Paths outside it are left out and listed in
    /// ``outside``, songs the daemon refuses in ``refused``; the rest is sent in order.
    ///
    /// - Parameters:
    ///   - queue: files to queue, in order; empty to leave the queue alone.
    ///   - replace: clear the queue first (only when there is something to queue).
    ///   - playlists: stored playlists to write, by name without the prefix (replacing the one
    ///     SongAtlas wrote earlier under that name).
    ///   - removing: playlists that are gone (a recluster merged or split them), by name without the prefix:
    ///     their stored playlists are removed, and only those, which are SongAtlas's by their prefix.
    ///   - client: the connection.
    ///   - musicDirectory: MPD's music directory; nil to ask the daemon.
    /// - Throws: ``MPDError``: ``MPDError/unknownMusicDirectory(address:)`` when it cannot be
    ///   learnt, ``MPDError/failed(command:reason:)`` when the connection breaks.
    public static func send(queue: [String], replace: Bool, playlists: [(name: String, paths: [String])] = [],
                            removing: [String] = [], to client: MPDClient, musicDirectory: String?) throws(MPDError)
        -> MPDDelivery
    {
        guard let directoryPath = musicDirectory ?? client.musicDirectory() else {
            throw .unknownMusicDirectory(address: client.address.description)
        }
        let directory = MPDMusicDirectory(directoryPath)
        var delivery = MPDDelivery(musicDirectory: directory.path)
        var reported = Set<String>()
        func uris(_ paths: [String]) -> [(path: String, uri: String)] {
            paths.compactMap { path in
                if let uri = directory.uri(of: path) { return (path, uri) }
                if reported.insert(path).inserted { delivery.outside.append(path) }
                return nil
            }
        }
        let queued = uris(queue)
        if replace && !queue.isEmpty { try client.clearQueue() }
        for (path, uri) in queued {
            do {
                try client.add(uri)
                delivery.queued += 1
            } catch let MPDError.failed(_, reason) {
                delivery.refused.append(Refusal(path: path, reason: reason))
            }
        }
        for playlist in playlists {
            let songs = uris(playlist.paths)
            let name = storedPlaylistName(playlist.name)
            let refused = try client.storePlaylist(name, uris: songs.map(\.uri))
            let pathOfURI = Dictionary(songs.map { ($0.uri, $0.path) }, uniquingKeysWith: { first, _ in first })
            delivery.refused += refused.map { Refusal(path: pathOfURI[$0.uri] ?? $0.uri, reason: $0.reason) }
            delivery.storedPlaylists.append(name)
        }
        let written = Set(playlists.map(\.name))
        for gone in removing where !written.contains(gone) {
            let name = storedPlaylistName(gone)
            if try client.removeStoredPlaylist(name) { delivery.removedPlaylists.append(name) }
        }
        return delivery
    }
}
