import FilePaths

/// Why a cue sheet cannot be used: one error naming the sheet and its fault.
///
/// The description is one line, `<sheet>: line <n>: <fault>` (without the
/// line where the fault is not on one), so a scan can print it and go on.
public struct CueSheetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sheet: a `.cue` file, or the audio file whose tags embed it.
    public var sheet: String
    /// The sheet's line the fault is on (1-based), where it is on one.
    public var line: Int?
    public var fault: Fault

    public init(sheet: String, line: Int? = nil, fault: Fault) {
        self.sheet = sheet
        self.line = line
        self.fault = fault
    }

    /// What is wrong with a sheet.
    public enum Fault: Sendable, Equatable {
        /// The sheet file cannot be read (missing, a folder, unreadable): the system's reason.
        case unreadable(reason: String)
        /// The sheet is larger than ``CueSheet/byteLimit``.
        case tooLarge(byteCount: Int, limit: Int)
        /// The bytes are not text (see ``CueSheetText``): a binary file named `.cue`.
        case notText
        /// The sheet holds no `TRACK` with audio.
        case noTracks
        /// More `TRACK` lines than ``CueSheet/trackLimit``.
        case tooManyTracks(limit: Int)
        /// A line the format does not allow where it is, or a malformed value: what and why.
        case malformed(String)
        /// A track number not above the one before it.
        case trackNumberNotIncreasing(track: Int, previous: Int)
        /// An `INDEX` number not above the one before it in its track.
        case indexNumberNotIncreasing(track: Int, index: Int, previous: Int)
        /// An audio track without `INDEX 01`.
        case missingIndex01(track: Int)
        /// An index that lies before an earlier index of the same file (frames at 1/75 s).
        case indexBeforeEarlierIndex(track: Int, index: Int, frames: Int, earlierTrack: Int, earlierIndex: Int, earlierFrames: Int)
        /// A `FILE` that names no file beside the sheet, even ignoring case.
        case missingFile(name: String)
        /// A `FILE` that matches several files when case is ignored, or whose stem several audio files share.
        case ambiguousFile(name: String, candidates: [String])
        /// An embedded sheet whose tracks lie in more than one `FILE`.
        case embeddedSheetNamesSeveralFiles(count: Int)
        /// A track that starts at or after the end of its audio (both in seconds).
        case trackPastEnd(track: Int, startSeconds: Double, audioSeconds: Double)
        /// No length was given for a file the sheet's tracks lie in.
        case unknownAudioLength(path: String)
        /// A track number the sheet has no audio track for (from a seed `FILE.cue#N`).
        case noSuchTrack(track: Int, tracks: [Int])
        /// No sheet beside the audio file, nor in its tags, describes it (for a seed `FILE.flac#N`).
        case noSheetCovers(audioPath: String)
        /// The audio file is already described by an earlier sheet (sheets are taken in path order).
        case fileCoveredByAnotherSheet(audioPath: String, sheet: String)
    }

    public var description: String {
        RawPath.display(sheet) + (line.map { ": line \($0)" } ?? "") + ": " + fault.description
    }
}

extension CueSheetError.Fault: Error, CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let reason): return "cannot read the sheet: \(reason)"
        case .tooLarge(let byteCount, let limit):
            return "the sheet is \(byteCount) bytes; a sheet of more than \(limit) bytes is not read"
        case .notText: return "not a cue sheet: the file is binary, not text"
        case .noTracks: return "the sheet has no audio TRACK with an INDEX 01"
        case .tooManyTracks(let limit): return "the sheet has more than \(limit) tracks"
        case .malformed(let what): return what
        case .trackNumberNotIncreasing(let track, let previous):
            return "TRACK \(track) follows TRACK \(previous); track numbers must increase"
        case .indexNumberNotIncreasing(let track, let index, let previous):
            return "track \(track): INDEX \(Self.two(index)) follows INDEX \(Self.two(previous)); index numbers must increase"
        case .missingIndex01(let track): return "track \(track) has no INDEX 01"
        case .indexBeforeEarlierIndex(let track, let index, let frames, let earlierTrack, let earlierIndex, let earlierFrames):
            let what = earlierTrack == track ? "its INDEX \(Self.two(earlierIndex))" : "track \(earlierTrack)'s INDEX \(Self.two(earlierIndex))"
            return "track \(track)'s INDEX \(Self.two(index)) at \(CueSheet.timeText(frames: frames)) is not after "
                + "\(what) at \(CueSheet.timeText(frames: earlierFrames)); indexes overlap"
        case .missingFile(let name): return "FILE \"\(RawPath.display(name))\" names no file beside the sheet"
        case .ambiguousFile(let name, let candidates):
            return "FILE \"\(RawPath.display(name))\" could be any of " + candidates.map(RawPath.display).joined(separator: ", ")
        case .embeddedSheetNamesSeveralFiles(let count):
            return "an embedded sheet must describe its own file, but its tracks lie in \(count) FILEs"
        case .trackPastEnd(let track, let startSeconds, let audioSeconds):
            return "track \(track) starts at " + Self.seconds(startSeconds) + " s, past the end of its audio ("
                + Self.seconds(audioSeconds) + " s)"
        case .unknownAudioLength(let path): return "no audio length is known for \(RawPath.display(path))"
        case .noSuchTrack(let track, let tracks):
            return "the sheet has no audio track \(track); it has \(tracks.count) audio "
                + (tracks.count == 1 ? "track: " : "tracks: ") + tracks.map(String.init).joined(separator: ", ")
        case .noSheetCovers(let audioPath):
            return "no cue sheet beside \(RawPath.display(audioPath)) or in its tags describes it"
        case .fileCoveredByAnotherSheet(let audioPath, let sheet):
            return "\(RawPath.display(audioPath)) is already described by \(RawPath.display(sheet)); this sheet is not used for it"
        }
    }

    private static func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
    private static func seconds(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        guard hundredths.isFinite, abs(hundredths) < 1e15 else { return "\(value)" }
        let whole = Int(hundredths)
        let fraction = abs(whole) % 100
        return "\(whole / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
