import FilePaths
import Foundation
import Synchronization

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
public final class TemporaryFiles: Sendable {
    public static let shared = TemporaryFiles()

    /// What the threads writing outputs and the signal handler share.
    private struct State {
        var open: Set<String> = []
        var committing = 0
        var stopRequested = false
        /// Set by ``removeAll()``: no temporary file may be created any more.
        var removedAll = false
        /// This process's journal, open and `flock`ed for the process's life, so that
        /// no other process (on this host or another sharing the folder) takes it for a dead one's.
        var journalDescriptor: Int32 = -1
    }

    private let state = Mutex(State())

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
        // Absolute, so that the journal still finds it from another working folder.
        let absoluteFolder = PathKey.of(folder)
        let path = (absoluteFolder as NSString).appendingPathComponent(".songatlas-\(getpid())-\(random)-\(stem).tmp")
        // Created and registered under the lock, so that ``removeAll()`` either sees the file or
        // runs first and makes this refuse: no file can be created after it (the window that once
        // left a whole `.songatlas-…-map.svg.tmp` behind after SIGTERM).
        let descriptor = try state.withLock { (state) throws(OutputError) -> Int32 in
            if state.removedAll { throw .interrupted }
            journal(path, in: &state)
            let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                let code = errno
                Self.forget(path, in: &state)
                throw .notWritable(path: folder, reason: OutputError.message(code))
            }
            return descriptor
        }
        return (path, descriptor)
    }

    /// Marks `path` as no longer open: it was renamed into place or removed.
    func forget(_ path: String) {
        state.withLock { Self.forget(path, in: &$0) }
    }

    private static func forget(_ path: String, in state: inout State) {
        state.open.remove(path)
        // Under the lock, so that a file journalled meanwhile is not lost with the journal.
        if state.open.isEmpty && state.journalDescriptor >= 0 { _ = ftruncate(state.journalDescriptor, 0) }
    }

    /// Removes a temporary file and forgets it.
    func discard(_ path: String) {
        unlink(path)
        forget(path)
    }

    /// Removes every temporary file this process still has open (for a signal handler).
    ///
    /// From then on no temporary file can be created (``create(in:for:)`` throws
    /// ``OutputError/interrupted``), so none appears while the process winds down.
    public func removeAll() {
        state.withLock { state in
            state.removedAll = true
            for path in state.open { unlink(path) }
            state.open.removeAll()
            unlink(journalPath)
        }
    }

    /// Refuses every commit from now on (Ctrl-C, SIGTERM): ``committing(_:)`` throws
    /// ``OutputError/interrupted`` before its first rename. A commit already renaming is let finish.
    public func refuseCommits() {
        state.withLock { $0.stopRequested = true }
    }

    /// Runs `body` as a commit: renames that must not be cut short by an interruption.
    ///
    /// - Throws: ``OutputError/interrupted`` when commits are refused, before `body` runs.
    func committing<T>(_ body: () throws(OutputError) -> T) throws(OutputError) -> T {
        let refused = state.withLock { state in
            if state.stopRequested { return true }
            state.committing += 1
            return false
        }
        if refused { throw .interrupted }
        defer { state.withLock { $0.committing -= 1 } }
        return try body()
    }

    /// True while outputs are being renamed into place; a signal handler waits for it.
    public var isCommitting: Bool {
        state.withLock { $0.committing > 0 }
    }

    /// This instance's journal folder: ``journalFolder``, or another one (tests).
    private let ownJournalFolder: String?

    /// The process's one instance is ``shared``; tests make others with their own journal folder.
    init(journalFolder: String? = nil) { ownJournalFolder = journalFolder }

    private var journalPath: String {
        ((ownJournalFolder ?? Self.journalFolder) as NSString).appendingPathComponent("\(getpid())")
    }

    /// Records `path` as open, in memory and in this process's journal file (held locked).
    /// The caller holds the lock: `state` is the locked value.
    private func journal(_ path: String, in state: inout State) {
        state.open.insert(path)
        if state.journalDescriptor < 0 {
            try? FileManager.default.createDirectory(atPath: ownJournalFolder ?? Self.journalFolder,
                                                     withIntermediateDirectories: true)
            state.journalDescriptor = Foundation.open(journalPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard state.journalDescriptor >= 0 else { return }
            _ = flock(state.journalDescriptor, LOCK_EX | LOCK_NB)
        }
        guard state.journalDescriptor >= 0 else { return }
        _ = OutputWriter.writeAll(Data((path + "\n").utf8), to: state.journalDescriptor)
    }

    /// Removes the temporary files that killed SongAtlas processes listed in their journals.
    ///
    /// A journal is taken for a dead process's only when its lock can be taken: a live
    /// writer holds its own, on this host or another sharing the folder. Only files whose
    /// names have the temporary pattern of that process are removed.
    public static func removeLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: journalFolder) else { return }
        for name in names {
            guard let pid = Int32(name), pid != getpid() else { continue }
            let journal = (journalFolder as NSString).appendingPathComponent(name)
            let descriptor = Foundation.open(journal, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }     // its writer still runs
            let listed = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
            for path in listed.split(separator: "\n").map(String.init)
            where path.hasPrefix("/") && ownerOfTemporary((path as NSString).lastPathComponent) == pid {
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
            guard let pid = ownerOfTemporary(name), pid != getpid(), !isRunning(pid), !journalIsHeld(pid) else { continue }
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

    /// True when a process of that id holds its journal locked (it runs, perhaps on another host).
    private static func journalIsHeld(_ pid: Int32) -> Bool {
        let descriptor = Foundation.open((journalFolder as NSString).appendingPathComponent("\(pid)"),
                                         O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    private static func removeIfRegular(_ path: String) {
        var status = stat()
        if lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG { unlink(path) }
    }
}
