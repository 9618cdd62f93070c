// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SongAtlas",
    products: [
        .library(name: "SongAtlas", targets: ["SongAtlas"]),
        .executable(name: "songatlas", targets: ["songatlas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // System libraries. The module maps name their link libraries, so the
        // build works even where pkg-config is missing.
        .systemLibrary(
            name: "CSndFile",
            pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]
        ),
        .systemLibrary(
            name: "CFFTW",
            pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"])]
        ),
        // Matrix products of the musicnn network; imported by Features only.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // FFmpeg's libraries, the second decoder; imported by AudioDecoding only.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev"])]
        ),
        // Chromaprint, the audio fingerprint behind duplicate detection; imported by Features only.
        .systemLibrary(
            name: "CChromaprint",
            pkgConfig: "libchromaprint",
            providers: [.apt(["libchromaprint-dev"])]
        ),
        // libmpdclient, for the MPD queue; imported by MusicPlayerDaemon only.
        .systemLibrary(
            name: "CMPDClient",
            pkgConfig: "libmpdclient",
            providers: [.apt(["libmpdclient-dev"])]
        ),

        // Pipeline stages: decode -> features -> (clustering) -> outputs.
        // No unsafe flags anywhere: SwiftPM refuses them in a package used as a
        // versioned dependency (scripts/test-client-package checks this). Debug
        // builds keep the vector kernels quick by running them lane by lane on
        // plain Floats (Sources/DSP/VectorKernels+Lanes.swift).
        .target(name: "DSP"),
        .target(name: "FilePaths"),
        .target(name: "AudioDecoding", dependencies: ["CSndFile", "CFFmpeg", "DSP", "FilePaths"]),
        .target(name: "Features", dependencies: [
            "CFFTW", "COpenBLAS", "CChromaprint", "AudioDecoding", "DSP",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "Library", dependencies: [
            "AudioDecoding", "Features", "FilePaths", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Clustering", dependencies: ["DSP"]),
        .target(name: "Export", dependencies: ["Clustering", "DSP", "FilePaths"]),
        .target(name: "SongAtlas", dependencies: ["AudioDecoding", "Features", "FilePaths", "Library", "Clustering", "Export"]),
        // The edge to a running Music Player Daemon (libmpdclient).
        .target(name: "MusicPlayerDaemon", dependencies: ["CMPDClient", "FilePaths"]),

        // Front ends.
        .executableTarget(
            name: "songatlas",
            dependencies: [
                "SongAtlas", "AudioDecoding", "Features", "FilePaths", "Library", "Clustering", "Export", "DSP",
                "MusicPlayerDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "songatlas-bench",
            dependencies: [
                "SongAtlas", "AudioDecoding", "Features", "Library", "Clustering", "Export",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Writes the hostile-input corpus (scripts/make-hostile-corpus).
        .executableTarget(
            name: "songatlas-corpus",
            dependencies: [
                "SyntheticAudio", "Library",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Generated audio for tests, benchmarks and songatlas-corpus.
        .target(name: "SyntheticAudio", dependencies: ["AudioDecoding", "FilePaths"]),

        // Tests.
        .target(name: "TestSupport", dependencies: ["AudioDecoding", "SyntheticAudio"], path: "Tests/TestSupport"),
        .testTarget(name: "DSPTests", dependencies: ["DSP", "TestSupport"]),
        .testTarget(name: "AudioDecodingTests", dependencies: ["AudioDecoding", "TestSupport"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "AudioDecoding", "SyntheticAudio", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "LibraryTests", dependencies: [
            "Library", "AudioDecoding", "Features", "FilePaths", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "ClusteringTests", dependencies: ["Clustering", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SegmentationTests", dependencies: ["SongAtlas", "AudioDecoding", "Clustering", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SongAtlasTests",
                    dependencies: ["SongAtlas", "AudioDecoding", "Features", "FilePaths", "Library", "Clustering", "Export",
                                   "TestSupport", "MusicPlayerDaemon"],
                    exclude: ["Golden"]),
    ]
)
