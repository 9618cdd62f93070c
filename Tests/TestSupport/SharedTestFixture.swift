import Foundation

/// Folders that every test process of one build shares, made once: the first process that asks makes the
/// folder, the others wait for it and read the same one.
///
/// Test classes running in processes of their own (`scripts/test-parallel`) cannot share a `static let`,
/// so a fixture that costs a whole analysis is kept on disk instead, next to the built products
/// (`.build/debug/test-fixtures/`), keyed by the `songatlas` executable's size and modification time: a
/// new build makes it again and removes the old one.
public enum SharedTestFixture {
    /// The folder of fixture `name` for the current build, made by `make` (given the empty folder) if it
    /// does not exist yet.
    ///
    /// - Parameters:
    ///   - name: the fixture's name, a file name.
    ///   - make: fills the folder; called at most once per build, under a lock that other processes wait on.
    /// - Returns: the folder's path. Treat it as read-only: other processes read it too.
    /// - Throws: what `make` throws (the folder is then not kept), or an error naming the lock file.
    public static func folder(named name: String, make: (String) throws -> Void) throws -> String {
        let root = CommandRunner.productsDirectory.appendingPathComponent("test-fixtures").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let executable = CommandRunner.productsDirectory.appendingPathComponent("songatlas").path
        let attributes = try FileManager.default.attributesOfItem(atPath: executable)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = ((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0) * 1_000_000
        let folder = root + "/\(name)-\(size)-\(Int64(modified))"

        let lockPath = root + "/\(name).lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw FixtureError(message: "cannot open \(lockPath): errno \(errno)") }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { throw FixtureError(message: "cannot lock \(lockPath): errno \(errno)") }
        defer { flock(lock, LOCK_UN) }

        if FileManager.default.fileExists(atPath: folder) { return folder }
        // Another build's fixture of the same name is stale.
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        where entry.hasPrefix(name + "-") && !entry.hasSuffix(".lock") {
            try? FileManager.default.removeItem(atPath: root + "/" + entry)
        }
        let making = folder + ".making"
        try? FileManager.default.removeItem(atPath: making)
        try FileManager.default.createDirectory(atPath: making, withIntermediateDirectories: true)
        do {
            try make(making)
        } catch {
            try? FileManager.default.removeItem(atPath: making)
            throw error
        }
        try FileManager.default.moveItem(atPath: making, toPath: folder)
        return folder
    }

    /// A fixture that could not be made or locked.
    public struct FixtureError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
