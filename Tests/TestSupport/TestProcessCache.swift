import Foundation

/// The cache folder (`XDG_CACHE_HOME`) that commands run by ``CommandRunner`` get: one per test process,
/// created on first use and removed when the process exits.
///
/// Without it every command that is given no `--cache` reads and writes the user's
/// `~/.cache/songatlas/library.sqlite`: what one test analysed, the next found cached, and test processes
/// running side by side (`swift test --parallel`, as `scripts/test` runs them) would share one cache.
public enum TestProcessCache {
    /// The folder, `<temporary folder>/songatlas-test-cache-<pid>-<UUID>`.
    public static let folder: String = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("songatlas-test-cache-\(getpid())-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestProcessCache.folder) }
        return url.path
    }()
}
