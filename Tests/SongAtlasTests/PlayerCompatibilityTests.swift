import AudioDecoding
import Export
import FilePaths
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import XCTest

/// Playlists from ``M3U8Playlist`` opened by real players: mpv, VLC (`cvlc`)
/// and MPD, over a music folder whose file names players misread as plain
/// paths. Each player reads a playlist inside the music folder (relative
/// entries) and one outside it (absolute entries), and every entry must be
/// opened and played (mpv, VLC) or queued as the right database song (MPD).
///
/// `scripts/setup` installs the players; a test whose player is missing is
/// skipped. Every player process is bounded by a timeout.
final class PlayerCompatibilityTests: XCTestCase {
    /// The hard cases, and two plain names.
    static let trackNames = [
        "#hash.wav", " leading space.wav", "what?.wav", "100%20.wav", "a:b.wav", "percent%.wav",
        "émoji 🎵.wav", "plain.wav", "it's & co.wav",
    ]

    var directory: TemporaryDirectory?
    var daemon: Process?

    override func tearDown() {
        if let daemon { Self.stop(daemon) }
        daemon = nil
        directory?.remove()
        directory = nil
        super.tearDown()
    }

    // MARK: - mpv

    func testMpvPlaysEveryEntry() throws {
        let mpv = try Self.tool("mpv")
        let fixture = try makeFixture()
        for playlist in [fixture.insidePlaylist, fixture.outsidePlaylist] {
            let result = try CommandRunner.runAbsolute(
                mpv, ["--no-config", "--ao=null", "--vo=null", "--ytdl=no", "--load-scripts=no", "--length=0.05",
                      "--msg-level=all=error,cplayer=v", "--playlist=" + playlist],
                in: fixture.folder, timeoutSeconds: 120)
            // Without a terminal mpv prints everything on standard output, in order:
            // one block per entry from its "Playing: <path>" line.
            let blocks = result.standardOutput.components(separatedBy: "\nPlaying: ").dropFirst()
            let played = blocks.map { block in
                let path = String(block.prefix { $0 != "\n" })
                let succeeded = block.contains("[cplayer] Starting playback...")
                    && block.contains("[cplayer] finished playback, success")
                return succeeded ? path : "failed: \(path)"
            }
            XCTAssertEqual(played, fixture.trackPaths, "\(playlist)\n\(result.standardOutput)")
            XCTAssertEqual(result.status, 0, "\(playlist)\n\(result.standardOutput)")
        }
    }

    // MARK: - VLC

    func testVLCPlaysEveryEntry() throws {
        let cvlc = try Self.tool("cvlc")
        let fixture = try makeFixture()
        for playlist in [fixture.insidePlaylist, fixture.outsidePlaylist] {
            // --no-lua skips the web-site playlist scripts and --clock-jitter=0 stops
            // VLC waiting a second per track; neither changes how the M3U is parsed.
            let arguments = ["-I", "dummy", "--aout", "dummy", "--play-and-exit", "--no-lua", "--clock-jitter=0",
                             "-vv", playlist]
            // VLC refuses to run as root.
            let result = getuid() == 0
                ? try CommandRunner.runAbsolute("/usr/sbin/runuser", ["-u", "nobody", "--", cvlc] + arguments,
                                                in: fixture.folder, timeoutSeconds: 120)
                : try CommandRunner.runAbsolute(cvlc, arguments, in: fixture.folder, timeoutSeconds: 120)
            let log = result.standardError + result.standardOutput
            // "main input debug: `<MRL>' successfully opened", once per input (the playlist first).
            let opened = log.split(separator: "\n").compactMap { line -> String? in
                guard line.contains("main input debug: `"), line.hasSuffix("' successfully opened"),
                      let start = line.range(of: "`")?.upperBound else { return nil }
                let mrl = line[start..<line.index(line.endIndex, offsetBy: -"' successfully opened".count)]
                guard mrl.hasPrefix("file://") else { return String(mrl) }
                return String(mrl.dropFirst("file://".count)).removingPercentEncoding ?? String(mrl)
            }
            let decoded = log.components(separatedBy: "main decoder debug: using audio decoder module").count - 1
            XCTAssertEqual(Array(opened.dropFirst()), fixture.trackPaths, "\(playlist)\n\(Self.errors(in: log))")
            XCTAssertEqual(opened.first, playlist)
            XCTAssertEqual(decoded, fixture.trackPaths.count, "\(playlist)\n\(Self.errors(in: log))")
            XCTAssertFalse(log.contains("VLC is unable to open the MRL"), "\(playlist)\n\(Self.errors(in: log))")
        }
    }

    // MARK: - A name that is not UTF-8

    /// A Latin-1 name (`caf\xE9.wav`) is written as a `file://` URI with
    /// `%E9`, and mpv and VLC open that very file, not its UTF-8 look-alike
    /// `café.wav`, which sits beside it as a decoy. (MPD 0.23 does not decode
    /// `%XX` in `file://` entries; see ``testMPDQueuesEveryPlainEntry()``.)
    func testPlayersOpenALatin1NameFromItsURI() throws {
        let directory = try TemporaryDirectory(prefix: "songatlas-players")
        self.directory = directory
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let latin1 = music + "/" + RawPath.string(Array("caf".utf8) + [0xE9] + Array(".wav".utf8))
        let decoy = music + "/café.wav"
        let staging = music + "/staging.wav"
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.2), to: staging, sampleRate: 22050, format: .wav16)
        XCTAssertEqual(RawPath.withCString(latin1) { rename(staging, $0) }, 0)
        try AudioFileWriter.write(Signals.sine(frequency: 880, seconds: 0.2), to: decoy, sampleRate: 22050, format: .wav16)
        let playlist = music + "/latin1.m3u8"
        let text = M3U8Playlist(entries: [.init(path: latin1, durationSeconds: 0.2, displayTitle: RawPath.display(latin1))])
            .rendered(playlistFolder: music, relativeRoot: music)
        XCTAssertEqual(text, "#EXTM3U\n#EXTINF:0,\(RawPath.display(latin1))\nfile://\(RawPath.percentEncoded(music))/caf%E9.wav\n")
        try text.write(toFile: playlist, atomically: true, encoding: .utf8)
        for path in [directory.path, music] { chmod(path, 0o755) }
        for path in [decoy, playlist] { chmod(path, 0o644) }
        XCTAssertEqual(RawPath.withCString(latin1) { chmod($0, 0o644) }, 0)
        var ranOne = false

        if let mpv = try? Self.tool("mpv") {
            ranOne = true
            let result = try CommandRunner.runAbsolute(
                mpv, ["--no-config", "--ao=null", "--vo=null", "--ytdl=no", "--load-scripts=no", "--length=0.05",
                      "--msg-level=all=error,cplayer=v", "--playlist=" + playlist], in: URL(fileURLWithPath: music),
                timeoutSeconds: 120)
            // mpv prints the name's own bytes; read as UTF-8 the bad byte is U+FFFD, where the decoy would show "é".
            XCTAssertTrue(result.standardOutput.contains("Opening done: \(music)/caf\u{FFFD}.wav\n"), result.standardOutput)
            XCTAssertFalse(result.standardOutput.contains("café.wav"), result.standardOutput)
            XCTAssertTrue(result.standardOutput.contains("[cplayer] finished playback, success"), result.standardOutput)
        }
        if let cvlc = try? Self.tool("cvlc") {
            ranOne = true
            let arguments = ["-I", "dummy", "--aout", "dummy", "--play-and-exit", "--no-lua", "--clock-jitter=0", "-vv", playlist]
            let result = getuid() == 0
                ? try CommandRunner.runAbsolute("/usr/sbin/runuser", ["-u", "nobody", "--", cvlc] + arguments,
                                                in: URL(fileURLWithPath: music), timeoutSeconds: 120)
                : try CommandRunner.runAbsolute(cvlc, arguments, in: URL(fileURLWithPath: music), timeoutSeconds: 120)
            let log = result.standardError + result.standardOutput
            XCTAssertTrue(log.contains("`file://\(RawPath.percentEncoded(music))/caf%E9.wav' successfully opened"),
                          Self.errors(in: log))
            XCTAssertEqual(log.components(separatedBy: "main decoder debug: using audio decoder module").count - 1, 1,
                           Self.errors(in: log))
            XCTAssertFalse(log.contains("VLC is unable to open the MRL"), Self.errors(in: log))
        }
        if !ranOne { throw XCTSkip("neither mpv nor VLC is installed (scripts/setup installs them)") }
    }

    /// VLC's error lines, for failure messages (its full -vv log is long).
    static func errors(in log: String) -> String {
        log.split(separator: "\n").filter { $0.contains(" error: ") }.joined(separator: "\n")
    }

    // MARK: - MPD

    /// MPD 0.23 does not decode percent escapes in `file://` entries (MPD
    /// issue #1831), so it skips every entry written as a URI, and it trims
    /// white space at the start of every path component (MPD issue #1961), so
    /// it cannot find ` leading space.wav` whichever way it is written. This
    /// test pins that: every other plain entry is queued as the right song,
    /// and nothing else is queued.
    func testMPDQueuesEveryPlainEntry() throws {
        let mpdPath = try Self.tool("mpd")
        let fixture = try makeFixture()
        let state = fixture.root + "/mpd"
        try FileManager.default.createDirectory(atPath: state + "/playlists", withIntermediateDirectories: true)
        // MPD's playlist directory holds NAME.m3u; the outside playlist goes there unchanged.
        try FileManager.default.copyItem(atPath: fixture.outsidePlaylist, toPath: state + "/playlists/outside.m3u")

        let connection = try startMPD(mpdPath, music: fixture.music, state: state)
        defer { connection.close() }
        _ = try connection.command("update")
        // The update runs in the background: wait (bounded) until every track is in the database.
        var databaseFiles: Set<String> = []
        for _ in 0..<200 {
            databaseFiles = Set(try connection.command("listall").compactMap { Self.value(of: "file", in: $0) })
            if databaseFiles.isSuperset(of: Self.trackNames) { break }
            usleep(50_000)
        }
        XCTAssertTrue(databaseFiles.isSuperset(of: Self.trackNames), "database: \(databaseFiles.sorted())")

        let playlists = [
            ("inside.m3u8", fixture.insidePlaylist, ["émoji 🎵.wav", "plain.wav", "it's & co.wav"]),
            ("outside", fixture.outsidePlaylist, [" leading space.wav", "émoji 🎵.wav", "plain.wav", "it's & co.wav"]),
        ]
        for (name, playlist, expectedPlain) in playlists {
            let text = try String(contentsOfFile: playlist, encoding: .utf8)
            let locations = m3u8Locations(in: text)
            let plainNames = zip(Self.trackNames, locations).filter { !$0.1.hasPrefix("file://") }.map(\.0)
            XCTAssertEqual(plainNames, expectedPlain, text)
            _ = try connection.command("clear")
            _ = try connection.command("load " + MPDConnection.quoted(name))
            let queued = try connection.command("playlistinfo").compactMap { Self.value(of: "file", in: $0) }
            XCTAssertEqual(queued, plainNames.filter { !$0.hasPrefix(" ") }, "\(name)\n\(text)")
        }
    }

    /// Starts `mpd` on a free port of 127.0.0.1 with its state in `state`, and
    /// connects once it answers. Retries on another port if it dies (the port
    /// may have been taken in between).
    func startMPD(_ mpdPath: String, music: String, state: String) throws -> MPDConnection {
        for _ in 0..<3 {
            let port = try Self.freePort()
            let process = try MPDTestDaemon.launch(mpdPath, music: music, state: state, port: port)
            daemon = process
            // Bounded wait for the greeting: 200 tries, 50 ms apart.
            for _ in 0..<200 where process.isRunning {
                if let connection = MPDConnection(port: port) { return connection }
                usleep(50_000)
            }
            Self.stop(process)
            daemon = nil
        }
        let log = (try? String(contentsOfFile: state + "/log", encoding: .utf8)) ?? "no log"
        // Installed but not starting is a failure, not a skip.
        throw MPDConnection.MPDError(message: "mpd did not answer on 127.0.0.1 after 3 starts; its log:\n\(log)")
    }

    /// Stops a daemon: SIGTERM, then SIGKILL if it is still running 5 s later.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A port of 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> UInt16 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EMFILE) }
        defer { Glibc.close(socket) }
        var address = MPDConnection.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// The value of `key: value` in a protocol line.
    static func value(of key: String, in line: String) -> String? {
        line.hasPrefix(key + ": ") ? String(line.dropFirst(key.count + 2)) : nil
    }

    // MARK: - Fixture

    struct Fixture {
        var root: String
        var music: String
        /// In the music folder: relative entries.
        var insidePlaylist: String
        /// In a folder beside it: absolute entries.
        var outsidePlaylist: String
        /// The tracks' absolute paths, in playlist order.
        var trackPaths: [String]
        var folder: URL { URL(fileURLWithPath: root) }
    }

    /// Writes 0.2 s tones under the hard names and both playlists, all readable by `nobody`.
    func makeFixture() throws -> Fixture {
        let directory = try TemporaryDirectory(prefix: "songatlas-players")
        self.directory = directory
        let music = directory.file("music")
        let lists = directory.file("lists")
        for folder in [music, lists] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let trackPaths = Self.trackNames.map { music + "/" + $0 }
        for (index, path) in trackPaths.enumerated() {
            try AudioFileWriter.write(Signals.sine(frequency: 220 * Double(index + 1), seconds: 0.2), to: path,
                                      sampleRate: 22050, format: .wav16)
        }
        let playlist = M3U8Playlist(entries: trackPaths.map {
            .init(path: $0, durationSeconds: 0.2, displayTitle: ($0 as NSString).lastPathComponent)
        })
        let inside = music + "/inside.m3u8"
        let outside = lists + "/outside.m3u8"
        try playlist.rendered(playlistFolder: music, relativeRoot: music).write(toFile: inside, atomically: true, encoding: .utf8)
        try playlist.rendered(playlistFolder: lists, relativeRoot: music).write(toFile: outside, atomically: true, encoding: .utf8)
        // The fixture exercises both forms: plain relative and absolute entries, and URIs.
        let insideText = try String(contentsOfFile: inside, encoding: .utf8)
        let outsideText = try String(contentsOfFile: outside, encoding: .utf8)
        XCTAssertTrue(insideText.contains("\nplain.wav\n") && insideText.contains("\nfile://"), insideText)
        XCTAssertTrue(outsideText.contains("\n\(music)/plain.wav\n"), outsideText)
        for folder in [directory.path, music, lists] { chmod(folder, 0o755) }
        for file in trackPaths + [inside, outside] { chmod(file, 0o644) }
        return Fixture(root: directory.path, music: music, insidePlaylist: inside, outsidePlaylist: outside,
                       trackPaths: trackPaths)
    }

    /// The absolute path of `name` on PATH, or a skip.
    static func tool(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") + ["/usr/bin", "/usr/sbin"] {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw XCTSkip("\(name) not installed (scripts/setup installs it)")
    }
}

/// A minimal client of MPD's text protocol over TCP: a command, its response
/// lines up to `OK`. Reads time out after 10 s so a stuck daemon fails the test.
struct MPDConnection {
    let socket: Int32
    private let reader: LineReader

    /// Connects and reads the `OK MPD <version>` greeting; nil if nobody answers.
    init?(port: UInt16) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = Self.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        let reader = LineReader(socket: socket)
        guard connected, reader.line()?.hasPrefix("OK MPD ") == true else {
            Glibc.close(socket)
            return nil
        }
        self.socket = socket
        self.reader = reader
    }

    /// Sends `command` and returns the lines before `OK`; throws on `ACK`.
    func command(_ command: String) throws -> [String] {
        let bytes = Array((command + "\n").utf8)
        guard bytes.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw MPDError(message: "\(command): send failed")
        }
        var lines: [String] = []
        while let line = reader.line() {
            if line == "OK" { return lines }
            if line.hasPrefix("ACK ") { throw MPDError(message: "\(command): \(line)") }
            lines.append(line)
        }
        throw MPDError(message: "\(command): connection closed or timed out")
    }

    func close() { Glibc.close(socket) }

    /// An argument in double quotes, with `"` and `\` escaped.
    static func quoted(_ argument: String) -> String {
        "\"" + argument.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    struct MPDError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Buffered line reading from a socket (UTF-8, `\n`-terminated).
    final class LineReader {
        let socket: Int32
        var buffer: [UInt8] = []

        init(socket: Int32) { self.socket = socket }

        func line() -> String? {
            while true {
                if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<end], as: UTF8.self)
                    buffer.removeSubrange(...end)
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return nil }
                buffer += chunk[..<count]
            }
        }
    }
}
