import Foundation
import MusicPlayerDaemon
import XCTest

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

    /// A running daemon over `music` with its database updated, and a client and a raw connection to it.
    struct Running {
        var process: Process
        var client: MPDClient
        var connection: MPDConnection
        var port: Int
    }

    /// Starts `mpd` over `music` (its state in `state`, made here) on a free port, up to three ports, and
    /// updates its database; the caller stops `process` and closes `connection`.
    ///
    /// - Throws: `XCTSkip` when `mpd` is not installed or does not start.
    static func start(music: String, state: String) throws -> Running {
        let mpd = try PlayerCompatibilityTests.tool("mpd")
        try FileManager.default.createDirectory(atPath: state + "/playlists", withIntermediateDirectories: true)
        for _ in 0..<3 {
            let port = try PlayerCompatibilityTests.freePort()
            let process = try launch(mpd, music: music, state: state, port: port)
            for _ in 0..<200 where process.isRunning {
                if let client = try? MPDClient(address: MPDAddress(host: "127.0.0.1", port: Int(port)), timeoutSeconds: 2),
                   let connection = MPDConnection(port: port) {
                    do { try client.updateDatabase() } catch { PlayerCompatibilityTests.stop(process); throw error }
                    return Running(process: process, client: client, connection: connection, port: Int(port))
                }
                usleep(50_000)
            }
            PlayerCompatibilityTests.stop(process)
        }
        throw XCTSkip("mpd did not start")
    }
}
