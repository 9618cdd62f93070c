import ArgumentParser
import Clustering
import Features
import Foundation

/// `--repeats N`: how many timed passes a benchmark takes the median of.
struct RepeatOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Timed passes; the median is printed.", valueName: "N"))
    var repeats = 3

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }
}

/// `--peer PYTHON`: the interpreter that runs the peer's side of a benchmark.
struct PeerOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Python of the pinned environment (PY=$(scripts/python-env)); the peer is timed beside SongAtlas.",
        valueName: "PYTHON"))
    var peer: String?

    func validate() throws {
        if let peer, !FileManager.default.isExecutableFile(atPath: peer) {
            throw ValidationError("--peer \(peer) is not an executable file")
        }
    }
}

/// Checks the size of a generated synthetic library (`--tracks N --seconds S`).
func validateSyntheticLibrary(tracks: Int, seconds: Double) throws {
    guard tracks >= 1 else { throw ValidationError("--tracks must be at least 1, got \(tracks)") }
    guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be a positive number, got \(seconds)") }
}

/// The default benchmark: x-realtime of decoding and analysis, beside librosa.
struct RealtimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "realtime",
        abstract: "x-realtime of decoding and full analysis, one core and all cores, beside librosa and bliss-rs.",
        discussion: """
            With --peer, runs scripts/python/librosa_bench.py on the same files and prints the ratios; with \
            --bliss (the python of scripts/bliss-env), bliss-rs 0.1.11 pinned to one core. The default \
            analysis (MTT embedding) is timed when the model is installed. For one core's figures run the \
            whole benchmark under taskset -c 0.
            """
    )

    @OptionGroup var repeatOptions: RepeatOptions
    @OptionGroup var peerOptions: PeerOptions

    @Option(help: ArgumentHelp("Python of scripts/bliss-env; bliss-rs is timed beside SongAtlas.", valueName: "PYTHON"))
    var bliss: String?

    @Option(help: ArgumentHelp("The models directory (default: as songatlas model).", valueName: "dir"))
    var models: String?

    @Argument(help: ArgumentHelp("Audio files, or folders to scan for them.", valueName: "file-or-folder"))
    var paths: [String] = []

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one audio file or folder") }
        if let bliss, !FileManager.default.isExecutableFile(atPath: bliss) {
            throw ValidationError("--bliss \(bliss) is not an executable file")
        }
    }

    func run() throws {
        let store = ModelStore(directory: models.map { URL(fileURLWithPath: $0) }
            ?? ModelStore.defaultDirectory(environment: ProcessInfo.processInfo.environment))
        try RealtimeBenchmark.run(paths: paths, repeats: repeatOptions.repeats, peerPython: peerOptions.peer,
                                  blissPython: bliss, models: store)
    }
}

/// k-means on a large float32 matrix, beside scikit-learn.
struct KMeansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmeans",
        abstract: "k-means (k = 8, 10 restarts) on a raw float32 matrix, beside scikit-learn's KMeans.",
        discussion: "With --peer, scripts/python/kmeans_bench.py makes the seeded matrix if it is missing, then is timed on it."
    )

    @OptionGroup var repeatOptions: RepeatOptions
    @OptionGroup var peerOptions: PeerOptions

    @Option(help: ArgumentHelp("Rows of the matrix.", valueName: "N"))
    var rows = 100_000

    @Option(help: ArgumentHelp("Columns of the matrix.", valueName: "N"))
    var columns = 40

    @Argument(help: ArgumentHelp("Raw little-endian float32 matrix, row-major.", valueName: "matrix.f32"))
    var matrix = "/tmp/songatlas-kmeans-100000x40.f32"

    func validate() throws {
        guard rows >= 8 else { throw ValidationError("--rows must be at least 8 (k = 8), got \(rows)") }
        guard columns >= 1 else { throw ValidationError("--columns must be at least 1, got \(columns)") }
        if peerOptions.peer == nil, !FileManager.default.fileExists(atPath: matrix) {
            throw ValidationError("\(matrix) does not exist; give --peer PYTHON to have it made")
        }
    }

    func run() throws {
        try KMeansBenchmark.run(matrixPath: matrix, rows: rows, columns: columns, repeats: repeatOptions.repeats,
                                peerPython: peerOptions.peer)
    }
}

/// Batch SOM training, beside MiniSom.
struct SOMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "som",
        abstract: "Batch SOM (20 x 20) on a 10,000 x 40 float32 matrix beside MiniSom, then 100,000 x 40 on 40 x 40.",
        discussion: "With --peer, scripts/python/som_bench.py makes the seeded matrix if it is missing, then is timed on it."
    )

    @OptionGroup var repeatOptions: RepeatOptions
    @OptionGroup var peerOptions: PeerOptions

    @Argument(help: ArgumentHelp("Raw little-endian float32 matrix of 40 columns, row-major.", valueName: "matrix.f32"))
    var matrix = NSTemporaryDirectory() + "songatlas-som-10000x40.f32"

    func validate() throws {
        if peerOptions.peer == nil, !FileManager.default.fileExists(atPath: matrix) {
            throw ValidationError("\(matrix) does not exist; give --peer PYTHON to have it made")
        }
    }

    func run() throws {
        try SOMBenchmark.run(matrixPath: matrix, repeats: repeatOptions.repeats, peerPython: peerOptions.peer)
    }
}

/// A synthetic library through the feature cache, then into playlists.
struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "A synthetic library through the feature cache (first run, cached run), then into playlists."
    )

    @Option(help: ArgumentHelp("Tracks in the synthetic library (made once, reused).", valueName: "N"))
    var tracks = 1000

    @Option(help: ArgumentHelp("Length of each track, in seconds.", valueName: "S"))
    var seconds = 5.0

    @Argument(help: ArgumentHelp("Folder of the synthetic library (tracks already there are kept).", valueName: "folder"))
    var folder = NSTemporaryDirectory() + "songatlas-bench-library"

    func validate() throws {
        try validateSyntheticLibrary(tracks: tracks, seconds: seconds)
    }

    func run() throws {
        try LibraryBenchmark.run(folder: folder, trackCount: tracks, trackSeconds: seconds)
    }
}

/// The `songatlas` command itself on a large synthetic library.
struct ScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "The songatlas command on a large synthetic library: playlists (first and cached run), map, and a streamed analyze.",
        discussion: "Needs the songatlas product built next to songatlas-bench. Each step runs in its own process, "
            + "so its peak RSS is its own."
    )

    @Option(help: ArgumentHelp("Tracks in the synthetic library (made once, reused).", valueName: "N"))
    var tracks = 10_000

    @Option(help: ArgumentHelp("Length of each track, in seconds.", valueName: "S"))
    var seconds = 5.0

    @OptionGroup var repeatOptions: RepeatOptions

    @Flag(help: "Write the tracks' records straight into a warm cache (empty files, nothing analysed) and time the commands that read it.")
    var syntheticCache = false

    @Option(help: ArgumentHelp("With --synthetic-cache: the share of records without a fingerprint, in [0, 1].", valueName: "share"))
    var withoutFingerprint = 0.0

    @Option(help: ArgumentHelp("With --synthetic-cache: time only this command (playlists, map or similar).", valueName: "command"))
    var only: String?

    @Argument(help: ArgumentHelp("Folder of the synthetic library (tracks already there are kept).", valueName: "folder"))
    var folder = NSTemporaryDirectory() + "songatlas-bench-scale"

    func validate() throws {
        try validateSyntheticLibrary(tracks: tracks, seconds: seconds)
    }

    func run() throws {
        if syntheticCache {
            return try ScaleBenchmark.runSynthetic(trackCount: tracks, repeats: repeatOptions.repeats,
                                                   withoutFingerprint: withoutFingerprint, only: only)
        }
        try ScaleBenchmark.run(folder: folder, trackCount: tracks, trackSeconds: seconds, repeats: repeatOptions.repeats)
    }
}

/// Decode-only speed through FFmpeg, beside the `ffmpeg` command.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode-only x-realtime through FFmpeg (AAC, ALAC, MP3), beside `ffmpeg -threads 1 -f f32le`.",
        discussion: """
            Both produce mono 32-bit float at 22050 Hz on one thread. Without files, the test files \
            are made from SampleAudio with the ffmpeg command.
            """
    )

    @OptionGroup var repeatOptions: RepeatOptions

    @Option(help: ArgumentHelp("Length of the generated test files, in minutes.", valueName: "M"))
    var minutes = 4.0

    @Option(help: ArgumentHelp("The ffmpeg command to time beside SongAtlas.", valueName: "path"))
    var ffmpeg = "/usr/bin/ffmpeg"

    @Argument(help: ArgumentHelp("Files to decode through FFmpeg (default: generated AAC, ALAC and MP3).",
                                 valueName: "file"))
    var files: [String] = []

    func validate() throws {
        guard minutes > 0, minutes <= 600 else { throw ValidationError("--minutes must be in (0, 600], got \(minutes)") }
        guard FileManager.default.isExecutableFile(atPath: ffmpeg) else {
            throw ValidationError("--ffmpeg \(ffmpeg) is not an executable file (scripts/setup installs ffmpeg)")
        }
    }

    func run() throws {
        try DecodeBenchmark.run(files: files, repeats: repeatOptions.repeats, minutes: minutes, ffmpeg: ffmpeg)
    }
}

/// Similar songs and song paths over a large library in memory, beside scikit-learn; the whole command from a warm cache.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "The similar-songs query and the song path over 100,000 songs in memory, beside scikit-learn's "
            + "NearestNeighbors; then the whole 'songatlas similar' command from a warm cache of 10,000 songs.",
        discussion: "With --peer, scripts/python/similar_bench.py makes the seeded matrix if it is missing, then is timed on it."
    )

    @OptionGroup var repeatOptions: RepeatOptions
    @OptionGroup var peerOptions: PeerOptions

    @Option(help: ArgumentHelp("Songs in memory.", valueName: "N"))
    var rows = 100_000

    @Option(help: ArgumentHelp("Values per song (the hand-crafted summary has \(SummaryLayout.current.dimensionCount)).",
                               valueName: "N"))
    var columns = SummaryLayout.current.dimensionCount

    @Option(help: ArgumentHelp("Songs in the warm cache for the whole-command timing (0 to skip it).", valueName: "N"))
    var cacheSongs = 10_000

    @Argument(help: ArgumentHelp("Raw little-endian float32 matrix, row-major (made when missing).", valueName: "matrix.f32"))
    var matrix: String?

    func validate() throws {
        guard rows >= 32 else { throw ValidationError("--rows must be at least 32, got \(rows)") }
        guard columns >= 1 else { throw ValidationError("--columns must be at least 1, got \(columns)") }
        guard cacheSongs >= 0 else { throw ValidationError("--cache-songs must be at least 0, got \(cacheSongs)") }
    }

    func run() throws {
        try SimilarBenchmark.run(matrixPath: matrix ?? "/tmp/songatlas-similar-\(rows)x\(columns).f32", rows: rows,
                                 columns: columns, cacheSongs: cacheSongs, repeats: repeatOptions.repeats,
                                 peerPython: peerOptions.peer)
    }
}

/// Segmentation quality on folders of collages, with the cut-selection rules.
struct SegmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments",
        abstract: "segment's boundary hit rates (mir_eval rules) on folders of collages, number of sections not given.",
        discussion: "Each folder holds collage-NN.flac with its collage-NN.lab (scripts/make-segment-dev-audio, "
            + "scripts/make-collage-audio). --sweep tries every cut-selection rule on the same features."
    )

    @Flag(help: "Try every cut-selection rule of the sweep, not only the default.")
    var sweep = false

    @Flag(help: "Also try every section labeller (comparison × threshold) on the found and the true cuts.")
    var labelSweep = false

    @Flag(help: "Print each collage's score and cut count.")
    var verbose = false

    @Argument(help: ArgumentHelp("Folders of collages.", valueName: "folder"))
    var folders: [String] = []

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give at least one folder of collages") }
    }

    func run() throws {
        try SegmentsBenchmark.run(folders: folders, sweep: sweep, labelSweep: labelSweep, verbose: verbose)
    }
}
