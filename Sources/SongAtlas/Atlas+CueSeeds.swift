import AudioDecoding
import FilePaths
import Foundation
import Library

extension Atlas {
    /// The songs of the arguments that name a cue sheet's track (``CueSheetSeed``: `FILE.cue#3`, or
    /// `FILE.flac#3` for the sheet beside the file or in its tags), by argument.
    ///
    /// A track already in `library` (same file, same track number) is taken from there; any other is
    /// analysed over its range only, and not stored. An argument whose sheet or track cannot be used
    /// is a failure naming the argument and the sheet's fault. Whole-file arguments are left out.
    static func cueTrackSeeds(
        _ arguments: [String], in library: [TrackAnalysis], excerptSeconds: Double?, timeLimitSeconds: Double?,
        embedding: EmbeddingSetup?, cancellation: Cancellation
    ) -> [String: CachedOutcome] {
        var outcomes: [String: CachedOutcome] = [:]
        var wanted: [(argument: String, song: ScannedSong)] = []
        for argument in arguments where outcomes[argument] == nil && !wanted.contains(where: { $0.argument == argument }) {
            let seed: CueSheetSeed
            do {
                seed = try CueSheetSeed.parse(argument)
            } catch {
                outcomes[argument] = .failed(AnalysisFailure(path: argument, error: "\(error)"))
                continue
            }
            guard case let .track(_, number) = seed else {
                if let failure = wholeSheetArgument(argument) { outcomes[argument] = .failed(failure) }
                continue
            }
            do {
                guard let song = try seed.song(), let track = song.cueTrack else { continue }
                let audioKey = PathKey.of(track.audioPath)
                if let found = library.first(where: { PathKey.of($0.path) == audioKey && $0.cueTrackNumber == number }) {
                    outcomes[argument] = .analyzed(found)
                } else {
                    wanted.append((argument, song))
                }
            } catch {
                outcomes[argument] = .failed(AnalysisFailure(path: argument, error: "\(error)"))
            }
        }
        let results = BatchAnalyzer.analyze(
            songs: wanted.map(\.song), decodeOptions: DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds),
            embedding: embedding, jobs: 1, cancellation: cancellation)
        for ((argument, song), result) in zip(wanted, results) {
            switch result {
            case let .success(features): outcomes[argument] = .analyzed(TrackAnalysis(song: song, features: features))
            case let .failure(error): outcomes[argument] = .failed(AnalysisFailure(path: argument, error: error))
            }
        }
        return outcomes
    }

    /// The failure for an argument that names a whole cue sheet (`album.cue`): a sheet is no song, so the
    /// argument must name one of its tracks; the failure says which numbers the sheet has. Nil for any
    /// other argument (an audio file, a path that does not exist, a file not named `.cue`).
    public static func wholeSheetArgument(_ argument: String) -> AnalysisFailure? {
        guard (argument as NSString).pathExtension.lowercased() == "cue",
              FileManager.default.fileExists(atPath: argument) else { return nil }
        let reason: String
        do {
            let numbers = try CueSheet.read(path: argument).tracks.map(\.number)
            if let first = numbers.first, let last = numbers.last {
                let span = first == last ? "\(argument)#\(first)" : "\(argument)#\(first) to \(argument)#\(last)"
                reason = "a cue sheet of \(numbers.count) track\(numbers.count == 1 ? "" : "s"), not one song: "
                    + "name a track, as \(span)"
            } else {
                reason = "a cue sheet with no tracks, not a song"
            }
        } catch {
            reason = "a cue sheet, not a song, and it cannot be read: \(error)"
        }
        return AnalysisFailure(path: argument, error: reason)
    }
}
