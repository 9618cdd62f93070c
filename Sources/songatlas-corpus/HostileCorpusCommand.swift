import ArgumentParser
import Foundation
import SyntheticAudio

/// `songatlas-corpus`: writes the hostile-input corpus (``HostileCorpus``) into
/// a folder and prints each entry with what SongAtlas must do with it.
///
///     swift run songatlas-corpus [--ten-hour-silence] FOLDER
///
/// `scripts/make-hostile-corpus` runs it for trying things by hand, and
/// `scripts/bench` for its 10-hour silent WAV; the hostile-input test writes
/// the same corpus through ``HostileCorpus/write(in:tenHourSilence:)``.
@main
struct HostileCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "songatlas-corpus",
        abstract: "Writes the hostile-input corpus: the worst files a music collection holds.",
        discussion: """
            Truncated FLAC/MP3/WAV, a wrong extension, zero and random bytes, a WAV header \
            claiming 2 GB, one sample, NaN/Inf floats, 8 channels at 192 kHz, hostile names, an \
            unreadable file and folder, link loops, a broken link and a FIFO. Prints one line per \
            entry: its name, then what SongAtlas must do with it.
            """
    )

    @Flag(help: "Also write ten-hours-of-silence.wav: 10 hours of silence, sparse (1.6 GB claimed, little disk used).")
    var tenHourSilence = false

    @Option(help: ArgumentHelp(
        "Also write what SongAtlas reads back into this folder (kept apart from the audio): wheels/ (a folder, "
            + "a text file, a FIFO, deflate bombs) for 'model install', and caches/ (real caches with one record "
            + "edited: absurd durations, NaN, a wrong vector length) for every command that reads the cache.",
        valueName: "folder"))
    var readBack: String?

    @Argument(help: ArgumentHelp("Folder to write the corpus into (created if needed).", valueName: "folder"))
    var folder: String

    func validate() throws {
        guard !folder.isEmpty else { throw ValidationError("the folder must not be an empty path") }
        if readBack?.isEmpty == true { throw ValidationError("--read-back must not be an empty path") }
    }

    func run() throws {
        for entry in try HostileCorpus.write(in: folder, tenHourSilence: tenHourSilence) {
            print("\(entry.name.replacingOccurrences(of: "\n", with: "\\n")): \(Self.describe(entry.expectation))")
        }
        guard let readBack else { return }
        for entry in try HostileWheels.write(in: readBack + "/wheels") {
            print("wheels/\(entry.name): 'model install' refuses it (\"\(entry.expectedMessage)\"), exit 1")
        }
        for entry in try DamagedCaches.write(in: readBack + "/caches") {
            print("caches/\(entry.name): \(entry.damage) in the record of \(DamagedCaches.victim); every command "
                + "exits 0 with one note \"is damaged\" and analyses it again")
        }
    }

    /// What SongAtlas must do with an entry, in words.
    static func describe(_ expectation: HostileCorpus.Expectation) -> String {
        switch expectation {
        case .analysed: "analysed"
        case let .reported(text): "reported (\"\(text)\")"
        case .unreadable: "reported when not root (unreadable), analysed as root"
        case .analysedOrReported: "analysed or reported"
        }
    }
}
