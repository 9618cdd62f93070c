import ArgumentParser
import Export
import Foundation
import Library
import MusicPlayerDaemon
import SongAtlas

extension SongListDocument.Format: ExpressibleByArgument {}

/// What `similar` and `path` share: where the songs come from, how they are
/// compared, and where the list goes (a file, standard output, MPD).
struct SongListOptions: ParsableArguments {
    @Option(name: .customLong("library"), help: ArgumentHelp(
        "Music folders (or files) to choose from, analysed through the cache as 'playlists' does; repeat it for "
            + "several. Default: every song in the feature cache.", valueName: "path"))
    var libraries: [String] = []

    @Option(help: ArgumentHelp(
        "Output format (default: from the -o file's extension, \(SongListDocument.Format.extensionSummary), else text).", valueName: "format"))
    var format: SongListDocument.Format?

    @Flag(name: .customLong("paths"), help: ArgumentHelp(
        "Show each song's file path in the text list (songs that share a title show theirs anyway)."))
    var showsPaths = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var featureChoice: FeatureChoiceOptions
    @OptionGroup var mpd: MPDOptions
    @OptionGroup var library: LibraryOptions

    func validate() throws {
        try requireNonEmptyPaths(libraries, flag: "--library")
        if libraries.isEmpty && library.noCache {
            throw ValidationError("--no-cache needs --library: without it the songs come from the cache")
        }
    }

    /// The format asked for, or the one the output file's extension names.
    var resolvedFormat: SongListDocument.Format { format ?? SongListDocument.Format(outputPath: output.output) }

    /// The songs to choose from, and the feature cache they came through (nil with `--no-cache`).
    struct Candidates {
        var tracks: [TrackAnalysis]
        var cache: FeatureCache?
    }

    /// The songs to choose from: the `--library` folders through the cache, or every song in the cache
    /// (``CachedLibrary``). Either way the cache is opened once, and ``songs(_:in:embedding:keepingRepeats:)``
    /// uses it again.
    func candidates(embedding: PreparedEmbedding, product: String) throws -> Candidates {
        if !libraries.isEmpty {
            let cache = library.openCache()
            let analysed = try library.analyzeLibrary(libraries, product: product, embedding: embedding, cache: cache)
            return Candidates(tracks: analysed.tracks, cache: cache)
        }
        let cached: CachedLibrary
        do {
            cached = try CachedLibrary(at: library.cache ?? FeatureCache.defaultPath)
        } catch {
            switch error {
            case .unavailable: Terminal.printError("songatlas: \(error); give the music with --library")
            case .unreadable: Terminal.printError("songatlas: \(error)")
            case let .empty(_, notes):
                for note in notes { Terminal.printError("songatlas: \(note)") }
                Terminal.printError("songatlas: \(error); give the music with --library "
                    + "(or run 'songatlas playlists' on it once)")
            }
            throw ExitCode.failure
        }
        for note in cached.cache.notes { Terminal.printError("songatlas: \(note)") }   // damaged records left out, read-only
        if !library.analysis.quiet { Terminal.printError("songatlas: \(cached.tracks.count) songs from the feature cache") }
        return Candidates(tracks: cached.tracks, cache: cached.cache)
    }

    /// The songs named on the command line: found among `candidates`, or analysed into their cache.
    /// A file that cannot be analysed is a one-line error naming it.
    ///
    /// - Parameter keepingRepeats: a song named twice is returned twice (the anchors of `path`).
    func songs(_ paths: [String], in candidates: Candidates, embedding: PreparedEmbedding,
               keepingRepeats: Bool = false) throws -> [TrackAnalysis] {
        var isFolder: ObjCBool = false
        if let folder = paths.first(where: { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue }) {
            Terminal.printError("songatlas: \(folder) is a folder; name songs (audio files) here, folders with --library")
            throw ExitCode.failure
        }
        let found = Atlas.findSongs(paths, in: candidates.tracks, cache: candidates.cache,
                                    excerptSeconds: library.analysis.excerpt,
                                    timeLimitSeconds: library.analysis.timeLimit.seconds, embedding: embedding.setup,
                                    keepingRepeats: keepingRepeats, cancellation: InterruptHandler.cancellation)
        if let failure = found.failures.first {
            Terminal.printError("songatlas: \(failure.path): cannot be analysed: \(failure.error)")
            throw ExitCode.failure
        }
        return found.songs
    }

    /// Writes the list (checked destination first), prints its notes, then sends it to MPD when asked.
    func deliver(_ document: SongListDocument, to destination: OutputDestination, product: String) throws {
        let text = document.rendered(resolvedFormat, playlistFolder: destination.folderForRelativePaths,
                                     showingPaths: showsPaths)
        try Terminal.writing(product: product) { try destination.write(text) }
        Terminal.printWrote([destination], quiet: library.analysis.quiet)
        if !library.analysis.quiet { for note in document.notes { Terminal.printError("songatlas: note: \(note)") } }
        if mpd.mpd {
            try mpd.send(queue: document.songs.map { MPDOptions.song(path: $0.path, cue: $0.cue) }, quiet: library.analysis.quiet)
        }
    }
}

/// `--mpd`, `--mpd-replace`, `--mpd-host`, `--mpd-music-dir`: handing the result to a running MPD.
struct MPDOptions: ParsableArguments {
    @Flag(help: "Also add the songs to a running MPD's queue (see --mpd-host).")
    var mpd = false

    @Flag(help: "With --mpd: replace MPD's queue instead of adding to it.")
    var mpdReplace = false

    @Option(help: ArgumentHelp(
        "MPD's address, [password@]HOST[:PORT] or a socket path (default: $MPD_HOST and $MPD_PORT, else localhost:6600).",
        valueName: "host[:port]"))
    var mpdHost: String?

    @Option(help: ArgumentHelp(
        "MPD's music directory, to turn file paths into its song URIs (default: asked from MPD, which answers "
            + "only over a local socket).", valueName: "folder"))
    var mpdMusicDir: String?

    func validate() throws {
        if mpdReplace && !mpd { throw ValidationError("--mpd-replace needs --mpd") }
        if let mpdHost {
            do { _ = try MPDAddress(parsing: mpdHost) } catch { throw ValidationError("--mpd-host \(error)") }
        }
    }

    var address: MPDAddress { mpdHost.flatMap { try? MPDAddress(parsing: $0) } ?? MPDAddress() }

    /// Connects and sends; reports files MPD cannot take (one line each) and fails with one line when the
    /// daemon cannot be reached. Called after every other output is written, so nothing is lost.
    /// A cue track goes as MPD's own track URI (``MPDSong``), a whole file as its path.
    func send(queue: [MPDSong], playlists: [(name: String, songs: [MPDSong])] = [], removing: [String] = [],
              quiet: Bool) throws {
        let delivery: MPDDelivery
        do {
            let client = try MPDClient(address: address)
            delivery = try MPDDelivery.send(songs: mpd ? queue : [], replace: mpdReplace, storedPlaylists: playlists,
                                            removing: removing, to: client, musicDirectory: mpdMusicDir)
        } catch MPDError.unknownMusicDirectory(let address) {
            Terminal.printError("songatlas: MPD at \(address) does not say where its music directory is (it does only "
                + "over a local socket); give it with --mpd-music-dir. The other outputs are written.")
            throw ExitCode.failure
        } catch {
            Terminal.printError("songatlas: \(error); the other outputs are written")
            throw ExitCode.failure
        }
        for path in delivery.outside {
            Terminal.printError("songatlas: MPD: not sent, outside its music directory \(delivery.musicDirectory): \(path)")
        }
        for refusal in delivery.refused {
            Terminal.printError("songatlas: MPD: refused \(refusal.path): \(refusal.reason)")
        }
        if !quiet {
            var parts: [String] = []
            if mpd { parts.append("queued \(delivery.queued) song\(delivery.queued == 1 ? "" : "s")"
                + (mpdReplace ? " (queue replaced)" : "")) }
            if !delivery.storedPlaylists.isEmpty { parts.append("stored \(delivery.storedPlaylists.count) playlists") }
            if !delivery.removedPlaylists.isEmpty {
                parts.append("removed \(delivery.removedPlaylists.count) gone: "
                    + delivery.removedPlaylists.joined(separator: ", "))
            }
            Terminal.printError("songatlas: MPD at \(address): " + parts.joined(separator: ", "))
        }
    }
}

extension MPDOptions {
    /// The song to send MPD for a listed song: its file, and the cue sheet track it is (nil for a whole file).
    static func song(path: String, cue: CueTrackReference?) -> MPDSong {
        MPDSong(path: path, cue: cue.map { MPDSong.CueSheet(sheetPath: $0.sheet, track: $0.track,
                                                        startSeconds: $0.startSeconds, endSeconds: $0.endSeconds) })
    }
}
