import AudioDecoding
import Foundation
import TestSupport

/// A small tagged library for `similar` and `path`: six sines, four noises and
/// four drum loops (1.5 s each), and one copy of the first sine under another
/// name and a "(Remastered 2011)" title.
struct SongListFixture {
    let music: String
    /// Every file, the copy last.
    let files: [String]
    var sine220: String { music + "/sine-220.wav" }
    var copy: String { music + "/sine-220 copy.wav" }
    var drums174: String { music + "/drums-174.wav" }

    static let sineFrequencies = [220.0, 247, 262, 294, 330, 349]
    static let drumTempos = [90.0, 120, 150, 174]

    init(in directory: TemporaryDirectory, folder: String = "music") throws {
        let root = directory.file(folder)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var files: [String] = []
        func write(_ samples: [Float], _ name: String, title: String, artist: String, album: String) throws {
            let path = root + "/" + name
            try AudioFileWriter.write(samples, to: path, sampleRate: 22050, format: .wav16, title: title, artist: artist,
                                      album: album)
            files.append(path)
        }
        for frequency in Self.sineFrequencies {
            try write(Signals.sine(frequency: frequency, seconds: 1.5), "sine-\(Int(frequency)).wav",
                      title: "Tone \(Int(frequency))", artist: "Sines", album: "Tones \(Int(frequency) % 3)")
        }
        for seed in 1...4 {
            try write(Signals.noise(seconds: 1.5, amplitude: 0.1 * Float(seed), seed: UInt64(seed)), "noise-\(seed).wav",
                      title: "Noise \(seed)", artist: "Hiss", album: "Static")
        }
        for bpm in Self.drumTempos {
            try write(Signals.drumLoop(bpm: bpm, seconds: 1.5), "drums-\(Int(bpm)).wav",
                      title: "Beat \(Int(bpm))", artist: "Drums", album: "Loops \(Int(bpm))")
        }
        try write(Signals.sine(frequency: 220, seconds: 1.5), "sine-220 copy.wav",
                  title: "Tone 220 (Remastered 2011)", artist: "The Sines", album: "Best Of")
        music = root
        self.files = files
    }
}
