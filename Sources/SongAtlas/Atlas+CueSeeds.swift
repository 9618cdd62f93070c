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
            guard case let .track(_, number) = seed else { continue }
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
}
