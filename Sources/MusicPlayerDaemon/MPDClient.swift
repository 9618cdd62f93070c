internal import CMPDClient
import Foundation

/// A connection to a Music Player Daemon, through libmpdclient.
///
/// The only place SongAtlas speaks MPD's protocol, and only through the
/// library (Debian `libmpdclient-dev`), never by hand. One connection per
/// instance, closed in `deinit`; not thread-safe (use it from one thread).
public final class MPDClient {
    private let connection: OpaquePointer
    /// Where it is connected, for messages.
    public let address: MPDAddress

    /// Connects, and sends the password when one is given in `address` or `$MPD_HOST` (`password@host`).
    ///
    /// - Parameters:
    ///   - address: host (name, IP address or socket path) and port; nil parts are libmpdclient's defaults,
    ///     as `mpc` has them: `$MPD_HOST` and `$MPD_PORT`, else localhost:6600.
    ///   - timeoutSeconds: for connecting and for each answer, > 0; default 5.
    /// - Throws: ``MPDError/unreachable(address:reason:)``.
    public init(address: MPDAddress = MPDAddress(), timeoutSeconds: Double = 5) throws(MPDError) {
        self.address = address
        let milliseconds = UInt32(max(1, min(timeoutSeconds * 1000, 3_600_000)))
        guard let connection = mpd_connection_new(address.host, UInt32(address.port ?? 0), milliseconds) else {
            throw .unreachable(address: address.description, reason: "out of memory")
        }
        if mpd_connection_get_error(connection) != MPD_ERROR_SUCCESS {
            let reason = String(cString: mpd_connection_get_error_message(connection))
            mpd_connection_free(connection)
            throw .unreachable(address: address.description, reason: reason)
        }
        if let password = address.password, !mpd_run_password(connection, password) {
            let reason = String(cString: mpd_connection_get_error_message(connection))
            mpd_connection_free(connection)
            throw .refused(address: address.description, reason: reason)
        }
        // Only now owned by self (and freed by deinit): a throw above must not reach deinit.
        self.connection = connection
    }

    deinit { mpd_connection_free(connection) }

    /// The daemon's protocol version, e.g. "0.23.5".
    public var serverVersion: String {
        guard let version = mpd_connection_get_server_version(connection) else { return "?" }
        return "\(version[0]).\(version[1]).\(version[2])"
    }

    /// The daemon's music directory, or nil when it does not say (it answers `config` on a local socket only).
    public func musicDirectory() -> String? {
        guard songatlas_mpd_send_config(connection) else {
            clearError()
            return nil
        }
        var directory: String?
        while let pair = mpd_recv_pair(connection) {
            if String(cString: pair.pointee.name) == "music_directory" { directory = String(cString: pair.pointee.value) }
            mpd_return_pair(connection, pair)
        }
        guard mpd_response_finish(connection) else {
            clearError()
            return nil
        }
        return directory
    }

    /// Empties the queue.
    ///
    /// - Throws: ``MPDError/failed(command:reason:)``.
    public func clearQueue() throws(MPDError) {
        guard mpd_run_clear(connection) else { throw failure("clear") }
    }

    /// Appends a song of MPD's database (a URI relative to its music directory) to the queue.
    ///
    /// - Throws: ``MPDError/failed(command:reason:)``; after a refusal by the daemon (e.g. a song not in its
    ///   database) the connection stays usable.
    public func add(_ uri: String) throws(MPDError) {
        guard mpd_run_add(connection, uri) else { throw failure("add \(uri)") }
    }

    /// Appends a stretch of a song to the queue: `addid` and then `rangeid ID start:end`
    /// (MPD 0.20 and later plays only that stretch; see ``MPDCueURI``).
    ///
    /// - Parameters:
    ///   - uri: a song of MPD's database.
    ///   - startSeconds: seconds from the song's start to the stretch's start.
    ///   - endSeconds: seconds from the song's start to the stretch's end.
    /// - Throws: ``MPDError/failed(command:reason:)``; when the daemon refuses the range, the song it
    ///   had added is taken out again, and the connection stays usable.
    public func add(_ uri: String, startSeconds: Double, endSeconds: Double) throws(MPDError) {
        let id = mpd_run_add_id(connection, uri)
        guard id >= 0 else { throw failure("addid \(uri)") }
        guard mpd_run_range_id(connection, UInt32(id), Float(max(0, startSeconds)), Float(endSeconds)) else {
            let error = failure("rangeid \(id) " + MPDCueURI.rangeArgument(startSeconds: startSeconds, endSeconds: endSeconds))
            if !mpd_run_delete_id(connection, UInt32(id)) { clearError() }
            throw error
        }
    }

    /// The queue's song URIs, in order.
    ///
    /// - Throws: ``MPDError/failed(command:reason:)``.
    public func queue() throws(MPDError) -> [String] {
        guard mpd_send_list_queue_meta(connection) else { throw failure("playlistinfo") }
        return try receiveSongs("playlistinfo")
    }

    /// Makes the stored playlist `name` hold `uris`, in order, replacing what it held.
    ///
    /// - Returns: the URIs the daemon refused, with its reason (not in its database…).
    /// - Throws: ``MPDError/failed(command:reason:)`` when the playlist itself cannot be cleared or written.
    public func storePlaylist(_ name: String, uris: [String]) throws(MPDError) -> [(uri: String, reason: String)] {
        // Remove the old one; "no such playlist" is the usual answer the first time.
        if !mpd_run_rm(connection, name) { clearError() }
        var refused: [(uri: String, reason: String)] = []
        for uri in uris where !mpd_run_playlist_add(connection, name, uri) {
            let error = failure("playlistadd \(name)")
            guard case let .failed(_, reason) = error, mpd_connection_get_error(connection) == MPD_ERROR_SUCCESS else {
                throw error
            }
            refused.append((uri, reason))
        }
        return refused
    }

    /// Removes the stored playlist `name`.
    ///
    /// - Returns: false when the daemon has no stored playlist of that name.
    /// - Throws: ``MPDError/failed(command:reason:)`` when the connection breaks.
    @discardableResult
    public func removeStoredPlaylist(_ name: String) throws(MPDError) -> Bool {
        guard mpd_run_rm(connection, name) else {
            let error = failure("rm \(name)")
            guard mpd_connection_get_error(connection) == MPD_ERROR_SUCCESS else { throw error }
            return false
        }
        return true
    }

    /// The songs of the stored playlist `name`, in order.
    ///
    /// - Throws: ``MPDError/failed(command:reason:)``.
    public func storedPlaylist(_ name: String) throws(MPDError) -> [String] {
        guard mpd_send_list_playlist(connection, name) else { throw failure("listplaylist \(name)") }
        var uris: [String] = []
        while let pair = mpd_recv_pair_named(connection, "file") {
            uris.append(String(cString: pair.pointee.value))
            mpd_return_pair(connection, pair)
        }
        guard mpd_response_finish(connection) else { throw failure("listplaylist \(name)") }
        return uris
    }

    /// Asks the daemon to rescan its music directory and waits (bounded) until it has finished.
    ///
    /// - Parameter timeoutSeconds: the longest wait; default 30.
    /// - Throws: ``MPDError/failed(command:reason:)``, also when the update outlasts the wait.
    public func updateDatabase(timeoutSeconds: Double = 30) throws(MPDError) {
        guard mpd_run_update(connection, nil) != 0 else { throw failure("update") }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            guard let status = mpd_run_status(connection) else { throw failure("status") }
            let updating = mpd_status_get_update_id(status) != 0
            mpd_status_free(status)
            if !updating { return }
            usleep(50_000)
        }
        throw .failed(command: "update", reason: "not finished after \(timeoutSeconds) s")
    }

    private func receiveSongs(_ command: String) throws(MPDError) -> [String] {
        var uris: [String] = []
        while let song = mpd_recv_song(connection) {
            uris.append(String(cString: mpd_song_get_uri(song)))
            mpd_song_free(song)
        }
        guard mpd_response_finish(connection) else { throw failure(command) }
        return uris
    }

    /// The connection's error as an ``MPDError``, cleared when the daemon only refused one command.
    private func failure(_ command: String) -> MPDError {
        let reason = mpd_connection_get_error_message(connection).map { String(cString: $0) } ?? "unknown error"
        clearError()
        return .failed(command: command, reason: reason)
    }

    private func clearError() { _ = mpd_connection_clear_error(connection) }
}
