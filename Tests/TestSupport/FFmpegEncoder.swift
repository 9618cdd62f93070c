import Foundation
import XCTest

/// Makes test files in formats libsndfile cannot write (AAC and ALAC in M4A,
/// WMA, WavPack, Opus in Matroska, MP4 with video) with the `ffmpeg` command,
/// which `scripts/setup` installs. Files are made in the tests, never committed.
public enum FFmpegEncoder {
    /// The `ffmpeg` executable, or nil when it is not installed.
    public static let executable: String? = {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(folder)/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// One target format: its file extension and the `ffmpeg` output options that make it.
    public struct Recipe: Sendable, Equatable {
        public var name: String
        public var fileExtension: String
        public var options: [String]
        /// True for lossless codecs: decoding gives the original samples back.
        public var isLossless: Bool

        public static let aacM4A = Recipe(name: "AAC in M4A", fileExtension: "m4a",
                                          options: ["-c:a", "aac", "-b:a", "192k"], isLossless: false)
        public static let alacM4A = Recipe(name: "ALAC in M4A", fileExtension: "m4a", options: ["-c:a", "alac"],
                                           isLossless: true)
        public static let wma = Recipe(name: "WMA", fileExtension: "wma", options: ["-c:a", "wmav2", "-b:a", "192k"],
                                       isLossless: false)
        public static let wavPack = Recipe(name: "WavPack", fileExtension: "wv", options: ["-c:a", "wavpack"],
                                           isLossless: true)
        public static let opusMatroska = Recipe(name: "Opus in Matroska", fileExtension: "mka",
                                                options: ["-c:a", "libopus", "-b:a", "160k"], isLossless: false)
        public static let mp3 = Recipe(name: "MP3", fileExtension: "mp3",
                                       options: ["-c:a", "libmp3lame", "-b:a", "192k"], isLossless: false)
        /// AAC with an H.264 picture track first (a music video, or cover art stored as video).
        public static let mp4WithVideo = Recipe(
            name: "MP4 with a video track", fileExtension: "mp4",
            options: ["-f", "lavfi", "-i", "color=c=red:s=64x64:r=5", "-map", "1:v", "-map", "0:a", "-shortest",
                      "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "192k"],
            isLossless: false)

        public static let all: [Recipe] = [.aacM4A, .alacM4A, .wma, .wavPack, .opusMatroska, .mp4WithVideo]
    }

    /// Encodes `input` into `output` with `recipe`.
    ///
    /// - Throws: `XCTSkip` when `ffmpeg` is not installed; an error with
    ///   ffmpeg's message when it fails.
    public static func encode(_ input: String, to output: String, _ recipe: Recipe, extra: [String] = []) throws {
        try run(["-i", input] + recipe.options + extra + [output])
    }

    /// Runs `ffmpeg -y -v error` with `arguments`.
    public static func run(_ arguments: [String]) throws {
        guard let executable else { throw XCTSkip("ffmpeg is not installed (scripts/setup installs it)") }
        let result = try CommandRunner.runAbsolute(
            executable, ["-nostdin", "-y", "-v", "error", "-threads", "1"] + arguments, timeoutSeconds: 120)
        guard result.status == 0 else {
            throw NSError(domain: "ffmpeg", code: Int(result.status),
                          userInfo: [NSLocalizedDescriptionKey: "ffmpeg \(arguments): \(result.standardError)"])
        }
    }
}
