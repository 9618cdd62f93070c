import AudioDecoding
import FilePaths
import Foundation

extension CueSheetSeed {
    /// The song a track seed names: its sheet's track (``sheet()``), over its
    /// range of the audio file, with title, performer and album the sheet lacks
    /// taken from the file's tags; nil for a whole-file seed.
    ///
    /// - Parameter header: a file's length and tags; the decoder's header by default.
    /// - Throws: ``CueSheetError`` naming the sheet: it cannot be read or used, no
    ///   sheet covers the audio file, or it has no such track
    ///   (``CueSheetError/Fault/noSuchTrack(track:tracks:)``, which lists the tracks it has).
    public func song(
        header: (String) -> (length: CueSheetAudioLength, tags: AudioTags)? = CueSongScan.header
    ) throws(CueSheetError) -> ScannedSong? {
        guard case let .track(_, number) = self, let sheet = try sheet() else { return nil }
        var headers: [String: (length: CueSheetAudioLength, tags: AudioTags)] = [:]
        func headerOf(_ path: String) -> (length: CueSheetAudioLength, tags: AudioTags)? {
            if let known = headers[path] { return known }
            let read = header(path)
            headers[path] = read
            return read
        }
        var track = try sheet.track(number) { headerOf($0)?.length }
        if let tags = headerOf(track.audioPath)?.tags {
            let inFile = sheet.tracks.filter { $0.isAudio && $0.start.map { sheet.files[$0.file].path } == track.audioPath }
            track = track.fillingGaps(from: tags, holdsOneTrack: inFile.count == 1)
        }
        return ScannedSong(path: track.audioPath, cueTrack: track)
    }
}

extension CueSongScan {
    /// The songs under `paths`, where a path written `FILE.cue#N` or
    /// `FILE.flac#N` (``CueSheetSeed``) is that one track of the sheet.
    ///
    /// Files and folders are scanned as ``songs(of:readCueSheets:embeddedSheet:header:)``
    /// describes. Each track argument adds its one song (``CueSheetSeed/song(header:)``)
    /// after the scanned songs, in argument order, unless the scan already holds
    /// that track; its audio file need not lie under the other paths. A track is
    /// named on purpose, so it is taken even when `readCueSheets` is false. An
    /// argument whose sheet or track cannot be used adds no song but one
    /// ``AudioFileScanner/Problem`` on the argument, whose reason names the sheet and
    /// the fault (for a missing track, the tracks the sheet has); the scan goes on.
    ///
    /// - Parameters:
    ///   - paths: files, folders (searched recursively) and cue tracks.
    ///   - readCueSheets: false (`--ignore-cue`) takes every scanned audio file whole and reads no sheet.
    public static func scan(_ paths: [String], readCueSheets: Bool = true) -> CueSongScan {
        var plain: [String] = []
        var tracks: [(argument: String, seed: CueSheetSeed)] = []
        var badArguments: [AudioFileScanner.Problem] = []
        for path in paths {
            do {
                let seed = try CueSheetSeed.parse(path)
                if case .track = seed { tracks.append((path, seed)) } else { plain.append(path) }
            } catch {
                badArguments.append(AudioFileScanner.Problem(path: path, reason: error.reason))
            }
        }
        var result = songs(of: AudioFileScanner.scanFolders(plain), readCueSheets: readCueSheets)
        result.scan.problems += badArguments
        for (argument, seed) in tracks {
            do {
                guard let song = try seed.song() else { continue }
                let key = PathKey.of(song.path), number = song.cueTrack?.trackNumber
                if result.songs.contains(where: { PathKey.of($0.path) == key && $0.cueTrack?.trackNumber == number }) { continue }
                result.songs.append(song)
            } catch {
                result.scan.problems.append(AudioFileScanner.Problem(path: argument, reason: "\(error)"))
            }
        }
        return result
    }
}

extension CueSheetSeedError {
    /// What is wrong with the argument, without repeating it.
    var reason: String {
        "a cue track is written FILE.cue#N or FILE.flac#N with N from 1 to \(CueSheet.trackLimit)"
    }
}
