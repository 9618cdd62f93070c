import Foundation

/// A feature cache holding SampleAudio/ as `songatlas` analyses it with the hand-crafted features
/// (no embedding model), made once per build (``SharedTestFixture``) and copied for each test that
/// asks: a command given a copy finds all 18 clips cached, with the very records a run with
/// `--no-cache` computes, instead of analysing them again (about 16 s of CPU in a debug build).
public enum SampleAudioCache {
    /// Copies the cache to `path` (a new SQLite file; its folder must exist) and returns `path`.
    ///
    /// - Throws: ``SharedTestFixture/FixtureError`` naming the command's output when the analysis
    ///   failed, or the copy's error.
    @discardableResult
    public static func copy(to path: String) throws -> String {
        let folder = try SharedTestFixture.folder(named: "sampleaudio-cache") { folder in
            let result = try CommandRunner.run("songatlas", ["analyze", "SampleAudio", "--cache", folder + "/library.sqlite",
                                                             "--format", "csv"])
            guard result.status == 0, result.standardError.contains("analysed 18, failed 0") else {
                throw SharedTestFixture.FixtureError(
                    message: "songatlas analyze SampleAudio: status \(result.status), \(result.standardError)")
            }
        }
        // The main file and, if SQLite left them, its write-ahead log and index.
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasPrefix("library.sqlite") {
            try FileManager.default.copyItem(atPath: folder + "/" + name,
                                             toPath: path + name.dropFirst("library.sqlite".count))
        }
        return path
    }
}
