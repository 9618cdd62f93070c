import AudioDecoding
import FilePaths
import Foundation

/// A folder of the worst files a music collection holds, each with the
/// outcome SongAtlas must reach for it: analysed, or reported with its own
/// error while the run goes on.
///
/// Written by `scripts/make-hostile-corpus` (through the `songatlas-corpus`
/// executable) for trying things by hand, and by the hostile-input test.
/// Everything is generated; nothing is committed.
public enum HostileCorpus {
    /// What must happen to one entry.
    public enum Expectation: Sendable, Equatable {
        /// Analysed: features for it, with no NaN.
        case analysed
        /// Reported as an error whose message contains this text.
        case reported(String)
        /// Reported when the run cannot read it (not root), analysed otherwise.
        case unreadable
        /// Either outcome is right (e.g. a damaged header whose remaining data may or may not suffice).
        case analysedOrReported
    }

    /// One file or folder of the corpus.
    public struct Entry: Sendable {
        /// The path relative to the corpus folder as people read it (bytes
        /// that are not UTF-8 written `\xNN`, as messages show them).
        public var name: String
        public var expectation: Expectation
        /// The path relative to the corpus folder, lossless (``RawPath``): what opens the file.
        public var relativePath: String
    }

    /// Writes the corpus into `folder` (created if needed) and returns its entries.
    ///
    /// - Parameter tenHourSilence: also write `ten-hours-of-silence.wav`: a
    ///   16-bit 22,050 Hz mono WAV holding 10 hours of digital silence. It is
    ///   sparse (a header, then a hole the file system reads as zeros), so
    ///   it claims 1.6 GB but takes almost no disk. Analysing it whole takes
    ///   longer than a short per-file time limit, which is what it tests.
    @discardableResult
    public static func write(in folder: String, tenHourSilence: Bool = false) throws -> [Entry] {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func path(_ name: String) -> String { folder + "/" + name }
        var entries: [Entry] = []
        func add(_ name: String, _ expectation: Expectation, relativePath: String? = nil) {
            entries.append(Entry(name: name, expectation: expectation, relativePath: relativePath ?? name))
        }
        let tone = Signals.sine(frequency: 440, seconds: 3, sampleRate: 44100)

        // Good files, with awkward names.
        try AudioFileWriter.write(Signals.drumLoop(bpm: 120, seconds: 12), to: path("good drum loop.wav"), sampleRate: 22050)
        add("good drum loop.wav", .analysed)
        let quoted = "quote \"it's\" & ünïcødé 🎵.flac"
        try AudioFileWriter.write(tone, to: path(quoted), sampleRate: 44100, format: .flac16)
        add(quoted, .analysed)
        try AudioFileWriter.write(Signals.noise(seconds: 10), to: path("line\nbreak.wav"), sampleRate: 22050)
        add("line\nbreak.wav", .analysed)

        // 8 channels at 192 kHz.
        var eight = [Float](repeating: 0, count: 192_000 * 2 * 8)
        for frame in 0..<(192_000 * 2) {
            for channel in 0..<8 {
                eight[frame * 8 + channel] = Float(sin(Double(frame) * Double(channel + 1) * 0.01) * 0.3)
            }
        }
        try AudioFileWriter.write(eight, to: path("eight-channels-192k.wav"), sampleRate: 192_000, channelCount: 8)
        add("eight-channels-192k.wav", .analysed)

        // NaN and infinity in a float WAV: read as silence, and counted.
        var poisoned = Signals.sine(frequency: 330, seconds: 3)
        for index in stride(from: 0, to: poisoned.count, by: 97) { poisoned[index] = index % 2 == 0 ? .nan : .infinity }
        try AudioFileWriter.write(poisoned, to: path("poisoned-float.wav"), sampleRate: 22050, format: .wavFloat)
        add("poisoned-float.wav", .analysed)

        // Truncated to a third. The WAV and MP3 keep a readable first second;
        // libsndfile's FLAC decoder loses sync and breaks off, and FFmpeg goes
        // on from there to the cut (or reports the break when it cannot).
        for (name, format, expectation) in [
            ("truncated.flac", AudioFileWriter.Format.flac16, Expectation.analysedOrReported),
            ("truncated.mp3", .mp3, .analysed), ("truncated.wav", .wav16, .analysed),
        ] {
            try AudioFileWriter.write(tone, to: path("whole-" + name), sampleRate: 44100, format: format)
            let data = try Data(contentsOf: URL(fileURLWithPath: path("whole-" + name)))
            try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: path(name)))
            try manager.removeItem(atPath: path("whole-" + name))
            add(name, expectation)
        }

        // A FLAC whose STREAMINFO declares the largest sample count (2^36 - 1, about 36 days at 22,050 Hz)
        // over 3 s of audio: the length reported must be the decoded one.
        try AudioFileWriter.write(Signals.sine(frequency: 392, seconds: 3), to: path("lying-header.flac"), sampleRate: 22050,
                                  format: .flac16)
        try declareLargestSampleCount(flac: path("lying-header.flac"))
        add("lying-header.flac", .analysed)

        // A wrong extension: an MP3 named .flac (libsndfile reads by content).
        try AudioFileWriter.write(tone, to: path("really-an-mp3.flac"), sampleRate: 44100, format: .mp3)
        add("really-an-mp3.flac", .analysed)

        // Zero bytes, random bytes, text.
        _ = manager.createFile(atPath: path("empty.flac"), contents: Data())
        add("empty.flac", .reported("empty"))
        var generator = SplitMix64(seed: 11)
        _ = manager.createFile(atPath: path("random.flac"),
                               contents: Data((0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        add("random.flac", .reported("not a readable audio file"))
        try "not audio".write(toFile: path("notes.ogg"), atomically: true, encoding: .utf8)
        add("notes.ogg", .reported("not a readable audio file"))

        // A WAV header that claims 2 GB of data, followed by 1000 bytes.
        var header = wavHeader(sampleRate: 22050, dataBytes: 0x7FFF_FFCC)
        header += Data(repeating: 0, count: 1000)
        _ = manager.createFile(atPath: path("huge-header.wav"), contents: header)
        add("huge-header.wav", .analysedOrReported)

        // One sample.
        try AudioFileWriter.write([0.5], to: path("one-sample.wav"), sampleRate: 22050)
        add("one-sample.wav", .reported("too short"))

        // A name that is not UTF-8: "café" in Latin-1.
        let latin1 = Array("caf".utf8) + [0xE9] + Array(".wav".utf8)
        try AudioFileWriter.write(Signals.sine(frequency: 550, seconds: 2), to: path("latin1-source.wav"), sampleRate: 22050)
        let renamed = (Array(folder.utf8) + [UInt8(ascii: "/")] + latin1).map { CChar(bitPattern: $0) } + [0]
        guard rename(path("latin1-source.wav"), renamed) == 0 else {
            throw CorpusError("cannot create a file with a Latin-1 name in \(folder)")
        }
        add("caf\\xE9.wav", .analysed, relativePath: RawPath.string(latin1))

        // What FFmpeg reads, and the ways it breaks.
        _ = manager.createFile(atPath: path("empty.m4a"), contents: Data())
        add("empty.m4a", .reported("empty"))
        _ = manager.createFile(atPath: path("random.wma"),
                               contents: Data((0..<30_000).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        add("random.wma", .reported("not a readable audio file"))
        if let ffmpeg = ffmpegCommand() {
            try AudioFileWriter.write(tone, to: path("ffmpeg-source.flac"), sampleRate: 44100, format: .flac16)
            func encode(_ name: String, _ options: [String]) throws {
                try run(ffmpeg, ["-nostdin", "-y", "-v", "error", "-i", path("ffmpeg-source.flac")] + options + [path(name)])
            }
            try encode("aac.m4a", ["-c:a", "aac", "-b:a", "128k"])
            add("aac.m4a", .analysed)
            try encode("alac.m4a", ["-c:a", "alac"])
            add("alac.m4a", .analysed)
            try encode("wavpack.wv", ["-c:a", "wavpack"])
            add("wavpack.wv", .analysed)
            try encode("opus.mka", ["-c:a", "libopus"])
            add("opus.mka", .analysed)
            try encode("music-video.mp4", ["-f", "lavfi", "-i", "color=c=red:s=32x32:r=5", "-map", "1:v", "-map", "0:a",
                                           "-shortest", "-c:v", "mjpeg", "-c:a", "aac"])
            add("music-video.mp4", .analysed)
            try encode("really-an-m4a.mp3", ["-c:a", "aac", "-f", "mp4"])
            add("really-an-m4a.mp3", .analysed)
            try encode("encrypted.m4a", ["-c:a", "aac", "-encryption_scheme", "cenc-aes-ctr",
                                         "-encryption_key", "76a6c65c5ea762046bd749a2e632ccbb",
                                         "-encryption_kid", "a7e61c373e219033c21091fa607bf3b8"])
            add("encrypted.m4a", .reported("copy-protected"))
            // Cut in half: the index (moov atom) is written last, so it is lost.
            let whole = try Data(contentsOf: URL(fileURLWithPath: path("aac.m4a")))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path("truncated.m4a")))
            add("truncated.m4a", .reported("moov atom"))
            // Cut in half with its index first (faststart): the header promises twice what is there.
            try encode("faststart.m4a", ["-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"])
            let faststart = try Data(contentsOf: URL(fileURLWithPath: path("faststart.m4a")))
            try faststart.prefix(faststart.count / 2).write(to: URL(fileURLWithPath: path("truncated-faststart.m4a")))
            try manager.removeItem(atPath: path("faststart.m4a"))
            add("truncated-faststart.m4a", .analysed)
            try manager.removeItem(atPath: path("ffmpeg-source.flac"))
        }

        // Unreadable file and folder (root reads them anyway).
        try AudioFileWriter.write(Signals.sine(frequency: 660, seconds: 2), to: path("unreadable.wav"), sampleRate: 22050)
        chmod(path("unreadable.wav"), 0o000)
        add("unreadable.wav", .unreadable)
        try manager.createDirectory(atPath: path("unreadable-folder"), withIntermediateDirectories: true)
        try AudioFileWriter.write(Signals.sine(frequency: 770, seconds: 2), to: path("unreadable-folder/inside.wav"),
                                  sampleRate: 22050)
        chmod(path("unreadable-folder"), 0o000)
        add("unreadable-folder", .unreadable)

        // A symbolic-link loop, a broken link and a FIFO.
        try manager.createSymbolicLink(atPath: path("loop"), withDestinationPath: folder)
        try manager.createSymbolicLink(atPath: path("broken.flac"), withDestinationPath: path("nowhere.flac"))
        add("broken.flac", .reported("broken symbolic link"))
        guard mkfifo(path("fifo.wav"), 0o644) == 0 else { throw CorpusError("cannot create a FIFO in \(folder)") }
        add("fifo.wav", .reported("not a regular file"))

        if tenHourSilence {
            let name = "ten-hours-of-silence.wav"
            let dataBytes = 10 * 3600 * 22050 * 2
            guard manager.createFile(atPath: path(name), contents: wavHeader(sampleRate: 22050, dataBytes: UInt32(dataBytes))),
                  let handle = FileHandle(forWritingAtPath: path(name)) else {
                throw CorpusError("cannot write \(path(name))")
            }
            try handle.truncate(atOffset: UInt64(44 + dataBytes))
            try handle.close()
            add(name, .reported("time limit"))
        }
        return entries
    }

    /// The `ffmpeg` command on PATH (scripts/setup installs it), or nil: the
    /// FFmpeg-only entries are then left out.
    static func ffmpegCommand() -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            if FileManager.default.isExecutableFile(atPath: "\(folder)/ffmpeg") { return "\(folder)/ffmpeg" }
        }
        return nil
    }

    /// Runs `executable`; throws when it fails.
    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CorpusError("\(executable) \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus))")
        }
    }

    /// Makes the corpus removable again: restores the permissions it took away.
    public static func restorePermissions(in folder: String) {
        chmod(folder + "/unreadable.wav", 0o644)
        chmod(folder + "/unreadable-folder", 0o755)
    }

    /// Rewrites the total-samples field of the FLAC file's STREAMINFO block to its
    /// largest value, 2^36 − 1 (FLAC format: "fLaC", a 4-byte block header, then
    /// STREAMINFO, whose bytes 10…17 hold 20 bits of sample rate, 3 of channels,
    /// 5 of bits per sample and 36 of total samples, big-endian).
    ///
    /// - Throws: when the file is not a FLAC file that starts with STREAMINFO.
    public static func declareLargestSampleCount(flac path: String) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count > 42, data.prefix(4) == Data("fLaC".utf8), data[data.startIndex + 4] & 0x7F == 0 else {
            throw CorpusError("\(path) is not a FLAC file starting with STREAMINFO")
        }
        let start = data.startIndex + 8 + 13   // the byte holding bits-per-sample's last 4 bits and samples' top 4
        data[start] |= 0x0F
        for offset in 1...4 { data[start + offset] = 0xFF }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// A 44-byte header of a 16-bit mono PCM WAV claiming `dataBytes` of samples.
    static func wavHeader(sampleRate: UInt32, dataBytes: UInt32) -> Data {
        func bytes<T: FixedWidthInteger>(_ value: T) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
        var header = Data("RIFF".utf8) + bytes(UInt32(truncatingIfNeeded: UInt64(dataBytes) + 36)) + Data("WAVEfmt ".utf8)
        header += bytes(UInt32(16)) + bytes(UInt16(1)) + bytes(UInt16(1))
        header += bytes(sampleRate) + bytes(sampleRate * 2) + bytes(UInt16(2)) + bytes(UInt16(16))
        header += Data("data".utf8) + bytes(dataBytes)
        return header
    }

    struct CorpusError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
