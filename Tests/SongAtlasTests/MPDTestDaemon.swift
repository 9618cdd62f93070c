import Foundation

/// A throwaway Music Player Daemon for tests: on 127.0.0.1, its state in a
/// temporary folder, no audio output, no database update of its own.
enum MPDTestDaemon {
    /// Writes `state/mpd.conf` and starts `mpd` in the foreground on `port`.
    ///
    /// - Parameters:
    ///   - mpd: the `mpd` executable.
    ///   - music: its music directory.
    ///   - state: a folder for its configuration, database, state, log and playlists.
    ///   - port: a free TCP port.
    /// - Returns: the running process; the caller waits for its greeting and terminates it.
    static func launch(_ mpd: String, music: String, state: String, port: UInt16) throws -> Process {
        let configuration = """
            music_directory "\(music)"
            playlist_directory "\(state)/playlists"
            db_file "\(state)/database"
            state_file "\(state)/state"
            pid_file "\(state)/pid"
            log_file "\(state)/log"
            bind_to_address "127.0.0.1"
            port "\(port)"
            auto_update "no"
            zeroconf_enabled "no"
            audio_output {
                type "null"
                name "null"
            }

            """
        try configuration.write(toFile: state + "/mpd.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpd)
        process.arguments = ["--no-daemon", state + "/mpd.conf"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
