import Foundation

/// What was handed to MPD, and what could not be.
public struct MPDDelivery: Sendable, Equatable {
    /// A song MPD did not take, and why.
    public struct Refusal: Sendable, Equatable {
        /// The song's ``MPDSong/displayName``: its path, or `SHEET#N` for a cue track.
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
    /// Songs outside the music directory (by ``MPDSong/displayName``): MPD cannot play them from there,
    /// so they were not sent.
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

    /// Sends whole files to a daemon: ``send(songs:replace:storedPlaylists:removing:to:musicDirectory:)``
    /// with every path a whole file.
    public static func send(queue: [String], replace: Bool, playlists: [(name: String, paths: [String])] = [],
                            removing: [String] = [], to client: MPDClient, musicDirectory: String?) throws(MPDError)
        -> MPDDelivery
    {
        try send(songs: queue.map { MPDSong(path: $0) }, replace: replace,
                 storedPlaylists: playlists.map { (name: $0.name, songs: $0.paths.map { MPDSong(path: $0) }) },
                 removing: removing, to: client, musicDirectory: musicDirectory)
    }

    /// Sends songs to a daemon: appends `queue` to its queue (after clearing it when `replace`), and
    /// writes each of `storedPlaylists` as a stored playlist named ``storedPlaylistName(_:)``.
    ///
    /// Every song is mapped to its URI under the music directory (``MPDSong/uri(under:)``: a file's
    /// path through ``MPDMusicDirectory``, a `.cue` sheet's track as ``MPDCueURI``); an embedded sheet's
    /// track is queued as its file with its range (``MPDSong/queueRange``), stored whole. Songs outside it
    /// are left out and listed in ``outside``, songs the daemon refuses in ``refused`` (both by
    /// ``MPDSong/displayName``); the rest is sent in order.
    ///
    /// - Parameters:
    ///   - queue: songs to queue, in order; empty to leave the queue alone.
    ///   - replace: clear the queue first (only when there is something to queue).
    ///   - storedPlaylists: stored playlists to write, by name without the prefix (replacing the one
    ///     SongAtlas wrote earlier under that name).
    ///   - removing: playlists that are gone (a recluster merged or split them), by name without the prefix:
    ///     their stored playlists are removed, and only those, which are SongAtlas's by their prefix.
    ///   - client: the connection.
    ///   - musicDirectory: MPD's music directory; nil to ask the daemon.
    /// - Throws: ``MPDError``: ``MPDError/unknownMusicDirectory(address:)`` when it cannot be
    ///   learnt, ``MPDError/failed(command:reason:)`` when the connection breaks.
    public static func send(songs queue: [MPDSong], replace: Bool,
                            storedPlaylists playlists: [(name: String, songs: [MPDSong])] = [],
                            removing: [String] = [], to client: MPDClient, musicDirectory: String?) throws(MPDError)
        -> MPDDelivery
    {
        guard let directoryPath = musicDirectory ?? client.musicDirectory() else {
            throw .unknownMusicDirectory(address: client.address.description)
        }
        let directory = MPDMusicDirectory(directoryPath)
        var delivery = MPDDelivery(musicDirectory: directory.path)
        var reported = Set<String>()
        func uris(_ songs: [MPDSong]) -> [(path: String, uri: String, range: (startSeconds: Double, endSeconds: Double)?)] {
            songs.compactMap { song in
                if let uri = song.uri(under: directory) { return (song.displayName, uri, song.queueRange) }
                if reported.insert(song.displayName).inserted { delivery.outside.append(song.displayName) }
                return nil
            }
        }
        let queued = uris(queue)
        if replace && !queue.isEmpty { try client.clearQueue() }
        for (path, uri, range) in queued {
            do {
                if let range {
                    try client.add(uri, startSeconds: range.startSeconds, endSeconds: range.endSeconds)
                } else {
                    try client.add(uri)
                }
                delivery.queued += 1
            } catch let MPDError.failed(_, reason) {
                delivery.refused.append(Refusal(path: path, reason: reason))
            }
        }
        for playlist in playlists {
            let songs = uris(playlist.songs)
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
