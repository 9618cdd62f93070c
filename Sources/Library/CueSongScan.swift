import AudioDecoding
import FilePaths
import Foundation

/// One song a scan yields: a whole audio file, or one track of a cue sheet inside a file.
///
/// A song's identity is (file, track number): ``path`` alone for a whole
/// file, ``path`` and ``cueTrack``'s `trackNumber` for a sheet's track.
public struct ScannedSong: Sendable, Hashable {
    /// The audio file, spelled as the scan found it.
    public var path: String
    /// The sheet's track the song is, with its range of the file; nil for a whole file.
    public var cueTrack: CueSheetTrack?

    public init(path: String, cueTrack: CueSheetTrack? = nil) {
        self.path = path
        self.cueTrack = cueTrack
    }

    /// The frames of the file to decode (at its own rate); nil for the whole file.
    public var frameRange: Range<Int>? { cueTrack.map { $0.startSample..<$0.endSample } }

    /// `options` restricted to the song's range (unchanged for a whole file).
    public func decodeOptions(_ options: DecodeOptions) -> DecodeOptions {
        guard let frameRange else { return options }
        var restricted = options
        restricted.frameRange = frameRange
        return restricted
    }
}

/// The songs under a set of paths: the folder scan (``AudioFileScanner``)
/// with every file a cue sheet describes split into the sheet's tracks.
///
/// Sheets are the `.cue` files the scan found among its other files and the
/// `CUESHEET` tags of its FLAC, WavPack and Monkey's Audio files
/// (``CueSheetCoverage``). Each audio `TRACK` with an `INDEX 01` becomes one
/// song, in place of its file, in sheet order; its title, performer and album
/// come from the sheet, else from the file's tags (the file's title only when
/// the file holds that one track). A covered file is not also a song as a whole.
///
/// A sheet that cannot be used (unreadable, binary, out of order, naming a
/// missing file, a track past the end of its audio) is one
/// ``CueSheetError`` in ``sheetProblems``, naming the sheet and the fault;
/// its files stay whole songs and the scan goes on. Only audio files the scan
/// itself found are split: a sheet naming a file outside the scanned paths
/// adds nothing. Nothing is written.
public struct CueSongScan: Sendable {
    /// The folder scan.
    public var scan: AudioFileScanner.Result
    /// The songs, in scan order, a covered file's tracks in its place.
    public var songs: [ScannedSong]
    /// One error per sheet (or per file of a sheet) that could not be used.
    public var sheetProblems: [CueSheetError]
    /// The files a sheet split into all of its tracks (standardised paths, ``PathKey``): a cached
    /// track of one of these files that is not among ``songs`` is one its sheet no longer has.
    /// A track named alone (`FILE.cue#3`) does not put its file here.
    public var splitFiles: Set<String> = []

    /// The songs of a finished folder scan.
    ///
    /// - Parameters:
    ///   - scan: what ``AudioFileScanner/scanFolders(_:)`` found.
    ///   - readCueSheets: false takes every audio file whole.
    ///   - embeddedSheet: a file's `CUESHEET` text, or nil (see ``CueSheetCoverage/read(sheetPaths:audioFiles:embeddedSheet:)``).
    ///   - header: a file's length and tags; the default reads the decoder's header (no audio is decoded).
    public static func songs(
        of scan: AudioFileScanner.Result, readCueSheets: Bool = true,
        embeddedSheet: (String) -> String? = CueSheetCoverage.embeddedSheetOfLosslessFile,
        header: (String) -> (length: CueSheetAudioLength, tags: AudioTags)? = CueSongScan.header
    ) -> CueSongScan {
        let whole = scan.files.map { ScannedSong(path: $0) }
        let sheetPaths = scan.otherFiles.paths.filter { ($0 as NSString).pathExtension.lowercased() == "cue" }
        guard readCueSheets, !scan.files.isEmpty else { return CueSongScan(scan: scan, songs: whole, sheetProblems: []) }
        let coverage = CueSheetCoverage.read(sheetPaths: sheetPaths, audioFiles: scan.files, embeddedSheet: embeddedSheet)
        var problems = coverage.problems
        // The scan's own spelling of each audio file, by standardised path.
        var scanned: [String: String] = [:]
        for file in scan.files { scanned[PathKey.of(file)] = scanned[PathKey.of(file)] ?? file }

        var headers: [String: (length: CueSheetAudioLength, tags: AudioTags)] = [:]
        func headerOf(_ path: String) -> (length: CueSheetAudioLength, tags: AudioTags)? {
            let key = PathKey.of(path)
            if let known = headers[key] { return known }
            let read = header(path)
            if let read { headers[key] = read }
            return read
        }
        // Each covered file's tracks, by standardised path.
        var tracksOfFile: [String: [CueSheetTrack]] = [:]
        for sheet in coverage.sheets {
            let inScan = Set(sheet.files.compactMap(\.path).map { PathKey.of($0) }.filter { scanned[$0] != nil })
            guard !inScan.isEmpty else { continue }
            let tracks: [CueSheetTrack]
            do {
                tracks = try sheet.tracks { path in headerOf(path)?.length }
            } catch {
                problems.append(error)
                continue
            }
            var countOfFile: [String: Int] = [:]
            for track in tracks { countOfFile[PathKey.of(track.audioPath), default: 0] += 1 }
            for var track in tracks {
                let key = PathKey.of(track.audioPath)
                guard let spelled = scanned[key] else { continue }
                track.audioPath = spelled
                if let tags = headerOf(spelled)?.tags {
                    track = track.fillingGaps(from: tags, holdsOneTrack: countOfFile[key] == 1)
                }
                tracksOfFile[key, default: []].append(track)
            }
        }
        var songs: [ScannedSong] = []
        for file in scan.files {
            if let tracks = tracksOfFile[PathKey.of(file)] {
                songs += tracks.map { ScannedSong(path: file, cueTrack: $0) }
            } else {
                songs.append(ScannedSong(path: file))
            }
        }
        return CueSongScan(scan: scan, songs: songs, sheetProblems: problems, splitFiles: Set(tracksOfFile.keys))
    }

    /// A file's length and tags from its decoder's header; nil when it cannot be opened.
    @Sendable public static func header(_ path: String) -> (length: CueSheetAudioLength, tags: AudioTags)? {
        guard let decoder = try? AudioDecoder(path: path) else { return nil }
        let info = decoder.info
        return (CueSheetAudioLength(frameCount: info.declaredFrameCount, sampleRate: info.sampleRate),
                AudioTags(title: info.title, artist: info.artist, album: info.album,
                          trackNumber: info.trackNumber, discNumber: info.discNumber))
    }
}
