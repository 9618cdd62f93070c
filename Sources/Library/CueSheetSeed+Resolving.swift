import AudioDecoding
import FilePaths
import Foundation

extension CueSheet {
    /// The sheet that describes `audioPath`: the first `.cue` beside it (in
    /// name order) whose audio tracks lie in it, else the one in its tags.
    ///
    /// - Throws: ``CueSheetError`` with ``CueSheetError/Fault/noSheetCovers(audioPath:)``
    ///   when there is none; when a sheet beside it could not be read, that
    ///   sheet's error instead (it may be the one meant).
    public static func describing(audioPath: String) throws(CueSheetError) -> CueSheet {
        let folder = ParentFolder.of(audioPath)
        let names = (CueSheetFileResolver.list(folder.isEmpty ? "." : folder) ?? [])
            .filter { ($0 as NSString).pathExtension.lowercased() == "cue" }.sorted()
        var firstProblem: CueSheetError?
        for name in names {
            let path = folder.isEmpty ? name : folder + "/" + name
            do {
                let sheet = try read(path: path)
                if sheet.files.contains(where: { $0.path.map { PathKey.of($0) == PathKey.of(audioPath) } ?? false }) { return sheet }
            } catch {
                firstProblem = firstProblem ?? error
            }
        }
        if let text = (try? AudioTags.embeddedCueSheet(path: audioPath)) ?? nil {
            return try embedded(text: text, audioPath: audioPath)
        }
        throw firstProblem ?? CueSheetError(sheet: audioPath, fault: .noSheetCovers(audioPath: audioPath))
    }

    /// Audio track `number` of the sheet, given its files' lengths.
    ///
    /// - Throws: ``CueSheetError``: what ``tracks(lengths:)`` throws, or
    ///   ``CueSheetError/Fault/noSuchTrack(track:tracks:)``.
    public func track(_ number: Int, lengths: (String) -> CueSheetAudioLength?) throws(CueSheetError) -> CueSheetTrack {
        let all = try tracks(lengths: lengths)
        guard let track = all.first(where: { $0.trackNumber == number }) else {
            throw CueSheetError(sheet: sheetPath, fault: .noSuchTrack(track: number, tracks: all.map(\.trackNumber)))
        }
        return track
    }
}

extension CueSheetSeed {
    /// The sheet a track seed names: `FILE.cue#N` reads that sheet,
    /// `FILE.flac#N` the sheet that describes the audio file
    /// (``CueSheet/describing(audioPath:)``); nil for a whole-file seed.
    public func sheet() throws(CueSheetError) -> CueSheet? {
        guard case .track(let path, _) = self else { return nil }
        if (path as NSString).pathExtension.lowercased() == "cue" { return try CueSheet.read(path: path) }
        return try CueSheet.describing(audioPath: path)
    }
}
