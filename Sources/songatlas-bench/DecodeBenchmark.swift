import AudioDecoding
import Foundation

/// `songatlas-bench decode [--repeats N] [--minutes M] [--ffmpeg PATH] [FILE...]`:
/// decode-only x-realtime through FFmpeg (AAC and ALAC in M4A, MP3; plus MP3
/// through libsndfile), beside the `ffmpeg` command producing the same
/// output — mono 32-bit float at 22050 Hz (`ffmpeg -threads 1 -i FILE -ac 1
/// -ar 22050 -f f32le`) — in the same run. SongAtlas's figure includes its
/// own downmix and resampler; the command's includes starting the process.
///
/// Without files, makes the test files with the `ffmpeg` command from
/// SampleAudio: the 16 s drum-and-bass loop repeated to `--minutes`, as
/// 44.1 kHz stereo AAC 192 kb/s, ALAC and MP3 (LAME 192 kb/s).
enum DecodeBenchmark {
    struct Case {
        var name: String
        var path: String
        var decoder: AudioDecoderKind
    }

    static func run(files: [String], repeats: Int, minutes: Double, ffmpeg: String) throws {
        var cases: [Case] = []
        var scratch: String?
        if files.isEmpty {
            let folder = NSTemporaryDirectory() + "songatlas-bench-decode-\(getpid())"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            scratch = folder
            let source = Benchmark.repositoryFile("SampleAudio/dnb-01.flac")
            let loops = max(0, Int((minutes * 60 / 16).rounded(.up)) - 1)
            for (name, fileExtension, options) in [
                ("AAC 192k (M4A)", "m4a", ["-c:a", "aac", "-b:a", "192k"]),
                ("ALAC (M4A)", "m4a", ["-c:a", "alac"]),
                ("MP3 192k", "mp3", ["-c:a", "libmp3lame", "-b:a", "192k"]),
            ] {
                let path = "\(folder)/\(cases.count).\(fileExtension)"
                try runCommand(ffmpeg, ["-nostdin", "-y", "-v", "error", "-stream_loop", "\(loops)", "-i", source,
                                        "-ar", "44100", "-ac", "2"] + options + [path])
                cases.append(Case(name: name, path: path, decoder: .ffmpeg))
            }
            cases.append(Case(name: "MP3 192k", path: cases[2].path, decoder: .libsndfile))
        } else {
            for file in files {
                cases.append(Case(name: (file as NSString).lastPathComponent, path: file, decoder: .ffmpeg))
            }
        }
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }

        let version = (try? runCommand(ffmpeg, ["-version"]).split(separator: "\n").first.map(String.init)) ?? "ffmpeg"
        print("\(version); \(repeats) repeats (medians); output: mono float at \(AnalysisRate.sampleRate) Hz, one thread")
        print("")
        print("file".padding(toLength: 18, withPad: " ", startingAt: 0)
            + "decoder".padding(toLength: 12, withPad: " ", startingAt: 0)
            + "   audio s   SongAtlas x rt   ffmpeg CLI x rt   ratio")
        for item in cases {
            let info = try AudioDecoder(path: item.path, options: DecodeOptions(decoder: item.decoder)).info
            var audioSeconds = info.durationSeconds
            let ours = try Benchmark.median(repeats) {
                let start = Date()
                let decoder = try AudioDecoder(path: item.path, options: DecodeOptions(decoder: item.decoder))
                var samples = 0
                try decoder.decode { samples += $0.count }
                audioSeconds = Double(samples) / Double(AnalysisRate.sampleRate)
                return Date().timeIntervalSince(start)
            }
            let command = try Benchmark.median(repeats) {
                let start = Date()
                try runCommand(ffmpeg, ["-nostdin", "-v", "error", "-threads", "1", "-i", item.path, "-map", "0:a:0",
                                        "-ac", "1", "-ar", "\(AnalysisRate.sampleRate)", "-f", "f32le", "-y", "/dev/null"])
                return Date().timeIntervalSince(start)
            }
            print(item.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + item.decoder.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: "%10.1f %16.0f %17.0f %7.2f", audioSeconds, audioSeconds / ours, audioSeconds / command,
                         command / ours))
        }
        print("")
        print("ratio = ffmpeg CLI time / SongAtlas time (above 1: SongAtlas is faster)")
    }

    /// Runs `executable` with `arguments`, returning its standard output; throws when it fails.
    @discardableResult
    static func runCommand(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("\(executable) \(arguments.joined(separator: " ")): "
                + String(decoding: message, as: UTF8.self))
        }
        return String(decoding: text, as: UTF8.self)
    }
}
