import Foundation

/// The temporary files this process is writing, so that nothing half-written outlives it.
///
/// Every output is first written to a hidden temporary file next to its
/// destination, named `.songatlas-<pid>-<16 hex digits>-<name>.tmp`, and renamed
/// into place only when whole. The name alone tells SongAtlas's temporary files
/// from anyone else's, and the process id tells whether its writer still runs.
///
/// - On a normal exit or an error, the writer removes its file.
/// - On Ctrl-C or SIGTERM, ``removeAll()`` removes what is still open.
/// - After SIGKILL or a crash, the next run of any command removes them:
///   each temporary file is also listed in a journal, `<cache folder>/pending/<pid>`,
///   and ``removeLeftovers()`` deletes the listed files of processes that are gone.
///   Writing to a folder also sweeps that folder (``removeLeftovers(in:)``).
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()

    private let lock = NSLock()
    private var open: Set<String> = []
    private var committing = 0
    private var journalReady = false

    /// The journal folder: `$XDG_CACHE_HOME/songatlas/pending`, else `~/.cache/songatlas/pending`.
    public nonisolated(unsafe) static var journalFolder: String = {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("songatlas/pending")
    }()

    /// Creates a new, empty temporary file in `folder` for an output named `name`.
    ///
    /// - Returns: the temporary path and an open, write-only descriptor.
    /// - Throws: ``OutputError/notWritable(path:reason:)`` when the folder does not take new files.
    func create(in folder: String, for name: String) throws(OutputError) -> (path: String, descriptor: Int32) {
        // Keep the name under NAME_MAX (255 bytes) whatever the output is called.
        var stem = ""
        for character in name where character != "/" {
            if stem.utf8.count + String(character).utf8.count > 120 { break }
            stem.append(character)
        }
        let random = String(format: "%016llx", UInt64.random(in: .min ... .max))
        let path = (folder as NSString).appendingPathComponent(".songatlas-\(getpid())-\(random)-\(stem).tmp")
        journal(path)
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            forget(path)
            throw .notWritable(path: folder, reason: OutputError.message(code))
        }
        return (path, descriptor)
    }

    /// Marks `path` as no longer open: it was renamed into place or removed.
    func forget(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        open.remove(path)
        // Under the lock, so that a file journalled meanwhile is not lost with the journal.
        if open.isEmpty && journalReady { unlink(journalPath) }
    }

    /// Removes a temporary file and forgets it.
    func discard(_ path: String) {
        unlink(path)
        forget(path)
    }

    /// Removes every temporary file this process still has open (for a signal handler).
    public func removeAll() {
        lock.lock()
        let paths = open
        open.removeAll()
        lock.unlock()
        for path in paths { unlink(path) }
        unlink(journalPath)
    }

    /// Runs `body` as a commit: renames that must not be cut short by an interruption.
    func committing<T>(_ body: () throws(OutputError) -> T) throws(OutputError) -> T {
        lock.lock()
        committing += 1
        lock.unlock()
        defer {
            lock.lock()
            committing -= 1
            lock.unlock()
        }
        return try body()
    }

    /// True while outputs are being renamed into place; a signal handler waits for it.
    public var isCommitting: Bool {
        lock.lock()
        defer { lock.unlock() }
        return committing > 0
    }

    private var journalPath: String { (Self.journalFolder as NSString).appendingPathComponent("\(getpid())") }

    /// Records `path` as open, in memory and in this process's journal file.
    private func journal(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        open.insert(path)
        if !journalReady {
            try? FileManager.default.createDirectory(atPath: Self.journalFolder, withIntermediateDirectories: true)
            journalReady = true
        }
        let descriptor = Foundation.open(journalPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        let line = Array((path + "\n").utf8)
        _ = line.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    /// Removes the temporary files that killed SongAtlas processes listed in their journals.
    ///
    /// Only files whose names have the temporary pattern and whose writer is gone are removed.
    public static func removeLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: journalFolder) else { return }
        for name in names {
            guard let pid = Int32(name), pid != getpid(), !isRunning(pid) else { continue }
            let journal = (journalFolder as NSString).appendingPathComponent(name)
            let listed = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
            for path in listed.split(separator: "\n").map(String.init)
            where ownerOfTemporary((path as NSString).lastPathComponent) == pid {
                removeIfRegular(path)
            }
            unlink(journal)
        }
    }

    /// Removes temporary files of processes that are gone from `folder`.
    ///
    /// Recognises this version's names and the `.NAME.PID.UUID.tmp` names of
    /// SongAtlas 0.1; nothing else is touched.
    public static func removeLeftovers(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let pid = ownerOfTemporary(name), pid != getpid(), !isRunning(pid) else { continue }
            removeIfRegular((folder as NSString).appendingPathComponent(name))
        }
    }

    /// The process id in a SongAtlas temporary file name, or nil for any other name.
    static func ownerOfTemporary(_ name: String) -> Int32? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        if name.hasPrefix(".songatlas-") {
            let parts = name.dropFirst(".songatlas-".count).split(separator: "-", maxSplits: 2)
            guard parts.count == 3, let pid = Int32(parts[0]), parts[1].count == 16,
                  parts[1].allSatisfy(\.isHexDigit) else { return nil }
            return pid
        }
        // SongAtlas 0.1: .NAME.PID.UUID.tmp
        let parts = name.dropLast(4).split(separator: ".")
        guard parts.count >= 3, UUID(uuidString: String(parts[parts.count - 1])) != nil else { return nil }
        return Int32(parts[parts.count - 2])
    }

    private static func isRunning(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno != ESRCH }

    private static func removeIfRegular(_ path: String) {
        var status = stat()
        if lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG { unlink(path) }
    }
}
