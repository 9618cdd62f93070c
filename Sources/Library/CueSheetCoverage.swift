import AudioDecoding
import FilePaths
import Foundation

/// Which audio files a scan's cue sheets describe: the input the analysis
/// needs to split those files into tracks and not also take them whole.
///
/// Sheets are read in path order (``CueSheet/read(path:)``); a sheet that
/// cannot be used is one problem and changes nothing. An audio file is
/// described by the first sheet whose audio tracks lie in it; a later sheet
/// naming it again is a problem for that file (``CueSheetError/Fault/fileCoveredByAnotherSheet(audioPath:sheet:)``).
/// A file no `.cue` describes may describe itself in its `CUESHEET` tag; a
/// `.cue` beside it wins over its tag. Nothing is written.
public struct CueSheetCoverage: Sendable {
    /// The usable sheets, in path order (`.cue` files, then embedded ones).
    public private(set) var sheets: [CueSheet] = []
    /// One error per sheet that cannot be used, or per file it cannot be used for.
    public private(set) var problems: [CueSheetError] = []
    /// Each described audio file's place in ``sheets``, by its standardised path (``PathKey``).
    private var sheetOfFile: [String: Int] = [:]

    public init() {}

    /// The sheet that describes `audioPath`, if any.
    public func sheet(describing audioPath: String) -> CueSheet? {
        sheetOfFile[PathKey.of(audioPath)].map { sheets[$0] }
    }

    /// Whether a sheet describes `audioPath` (so it is not also a song as a whole).
    public func describes(_ audioPath: String) -> Bool { sheetOfFile[PathKey.of(audioPath)] != nil }

    /// Reads the sheets of a scan.
    ///
    /// - Parameters:
    ///   - sheetPaths: the `.cue` files the scan found (among its other files).
    ///   - audioFiles: the audio files the scan found; only these are looked at for embedded sheets.
    ///   - embeddedSheet: the `CUESHEET` text of an audio file, or nil; the
    ///     default reads it with `AudioTags.embeddedCueSheet(path:)` for FLAC,
    ///     WavPack and Monkey's Audio files only. Pass `{ _ in nil }` to ignore tags.
    public static func read(sheetPaths: [String], audioFiles: [String],
                            embeddedSheet: (String) -> String? = CueSheetCoverage.embeddedSheetOfLosslessFile) -> CueSheetCoverage {
        var coverage = CueSheetCoverage()
        for path in sheetPaths.sorted() {
            do {
                coverage.add(try CueSheet.read(path: path))
            } catch {
                coverage.problems.append(error)
            }
        }
        for path in audioFiles.sorted() where !coverage.describes(path) {
            guard let text = embeddedSheet(path) else { continue }
            do {
                coverage.add(try CueSheet.embedded(text: text, audioPath: path))
            } catch {
                coverage.problems.append(error)
            }
        }
        return coverage
    }

    /// Extensions of the formats that carry an embedded sheet in practice: FLAC, WavPack, Monkey's Audio.
    public static let embeddedSheetExtensions: Set<String> = ["flac", "wv", "ape"]

    /// The `CUESHEET` tag of a FLAC, WavPack or Monkey's Audio file; nil for other files and when unreadable.
    public static func embeddedSheetOfLosslessFile(_ path: String) -> String? {
        guard embeddedSheetExtensions.contains((path as NSString).pathExtension.lowercased()) else { return nil }
        return (try? AudioTags.embeddedCueSheet(path: path)) ?? nil
    }

    /// Adds `sheet` for the files no earlier sheet describes.
    private mutating func add(_ sheet: CueSheet) {
        let files = Set(sheet.tracks.filter(\.isAudio).compactMap { $0.start.flatMap { sheet.files[$0.file].path } })
        let taken = files.filter { sheetOfFile[PathKey.of($0)] != nil }.sorted()
        for path in taken {
            problems.append(CueSheetError(sheet: sheet.sheetPath, fault: .fileCoveredByAnotherSheet(
                audioPath: path, sheet: sheets[sheetOfFile[PathKey.of(path)]!].sheetPath)))
        }
        guard taken.isEmpty else { return }
        sheets.append(sheet)
        for path in files { sheetOfFile[PathKey.of(path)] = sheets.count - 1 }
    }
}
