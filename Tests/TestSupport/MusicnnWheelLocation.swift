import Foundation

/// The musicnn 0.1.0 wheel the model tests install from, where `scripts/setup`
/// downloads it: `$SONGATLAS_WHEEL`, else `$XDG_CACHE_HOME/songatlas/wheels/`,
/// else `~/.cache/songatlas/wheels/` (the same rule as `ModelStore.defaultWheel`).
public enum MusicnnWheelLocation {
    public static var url: URL {
        let environment = ProcessInfo.processInfo.environment
        if let wheel = environment["SONGATLAS_WHEEL"], !wheel.isEmpty { return URL(fileURLWithPath: wheel) }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache")
        return cache.appendingPathComponent("songatlas/wheels/musicnn-0.1.0-py3-none-any.whl")
    }

    /// The wheel's URL, or a message for a test failure saying how to get it.
    public static func require() -> Result<URL, WheelMissing> {
        FileManager.default.fileExists(atPath: url.path) ? .success(url) : .failure(WheelMissing(path: url.path))
    }

    public struct WheelMissing: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "the musicnn wheel is missing at \(path): run scripts/setup (it runs `pip download musicnn==0.1.0 --no-deps`) or set SONGATLAS_WHEEL"
        }
    }
}
