import Foundation

/// Files that land together or not at all: the playlists of one run, or a song map and its siblings.
///
/// Every file is first written whole to a hidden temporary file beside its
/// destination (``add(_:_:)``). Only when all of them are written does
/// ``commit(waiting:)`` take the folder's lock (`.songatlas.lock`, so that
/// concurrent runs on one folder take turns) and rename them into place, the
/// set's manifest last. A full disk or an interruption before that point
/// leaves the previous set exactly as it was.
///
/// The manifest (`.songatlas-<set>.manifest.json`) lists the files the run
/// wrote, each with its device, inode, size and modification time. The next
/// commit of the same set removes the files of the previous manifest that it
/// did not write again, but only those still exactly as SongAtlas left them:
/// a file a person edited, replaced or linked elsewhere is left alone, and a
/// name that is not a plain file name is never used as a path. No document a
/// person can edit (`playlists.json`) is trusted for what to delete.
///
/// The same manifest says what the set may replace (``OutputRules``): a file
/// at one of its names that the manifest does not list with the exact identity
/// recorded (another program's `playlists.json`, a person's `.m3u8`, a playlist
/// edited since) stops the write before anything is renamed, unless the rules
/// allow replacing foreign files.
public final class OutputSet {
    /// The folder the set is written to.
    public let folder: String
    /// The set's name, e.g. `playlists` or `map-index`.
    public let name: String
    /// What the set may replace (see ``OutputRules``).
    public let rules: OutputRules
    /// What the last ``commit(waiting:)`` did besides putting the files in place; nil before it.
    public private(set) var report: CommitReport?
    /// Where the manifest and the lock are: the set's folder, or the records folder of single files.
    let recordFolder: String

    struct Staged {
        var fileName: String
        var destination: String
        var temporaryPath: String
    }

    private var staged: [Staged] = []
    private var finished = false
    /// The folder's lock when ``lock(waiting:)`` took it ahead of the commit; released when the commit ends.
    private var heldLock: FolderLock?

    /// Prepares a set in `folder`, and checks now, before any work, that it can be written.
    ///
    /// - Parameters:
    ///   - folder: the output folder; created (with its parents) at the first ``add(_:_:)`` if missing.
    ///   - name: the set's name; two different names always give two different manifests.
    ///   - rules: what may be replaced; by default only files of this set that SongAtlas wrote and no one changed.
    /// - Throws: ``OutputError`` when `folder` is empty or a file, or it (or its nearest existing
    ///   ancestor) cannot take new files.
    public convenience init(folder: String, name: String, rules: OutputRules = OutputRules()) throws(OutputError) {
        try self.init(folder: folder, name: name, rules: rules, recordFolder: nil)
    }

    /// A set whose manifest and lock are kept in `recordFolder` rather than beside its files
    /// (a single `-o` file, so that a report's folder holds nothing but the report).
    init(folder: String, name: String, rules: OutputRules, recordFolder: String?) throws(OutputError) {
        guard !folder.isEmpty else { throw .notWritable(path: folder, reason: "empty path") }
        self.folder = folder
        self.recordFolder = recordFolder ?? folder
        self.name = Self.fileNameSafe(name)
        self.rules = rules
        var status = stat()
        if stat(self.folder, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw .unsupportedDestination(path: folder, kind: "a file, not a folder")
            }
            try OutputDestination.checkFolderWritable(self.folder, requested: folder)
        } else {
            // Checked like a new file inside it: the nearest existing ancestor must take new entries.
            _ = try OutputDestination.resolve((self.folder as NSString).appendingPathComponent(".songatlas-check"))
        }
    }

    deinit { abandon() }

    /// Takes the folder's lock now and holds it until the commit ends or the set is abandoned, so a run that
    /// reads the previous set before writing the next one reads it under the lock (concurrent runs take turns).
    /// Does nothing when no SongAtlas run has been there (neither this set's manifest nor a lock file): there is
    /// no previous set to read, and a run that is then refused (a foreign file at one of its names) leaves the
    /// folder exactly as it found it, without a lock file of ours in it.
    ///
    /// - Parameter waiting: called once if another run holds the lock, with a message to show.
    public func lock(waiting: ((String) -> Void)? = nil) throws(OutputError) {
        guard heldLock == nil else { return }
        let lockFile = (recordFolder as NSString).appendingPathComponent(FolderLock.fileName)
        guard FileManager.default.fileExists(atPath: manifestPath) || FileManager.default.fileExists(atPath: lockFile)
        else { return }
        heldLock = try FolderLock(folder: recordFolder, waiting: waiting)
    }

    private func releaseLock() {
        heldLock?.release()
        heldLock = nil
    }

    /// `name` with every byte other than ASCII letters, digits, `-` and `_` written as `%XX`, so
    /// that different names never share a manifest; a long result is cut and given a hash of the whole.
    static func fileNameSafe(_ name: String) -> String {
        var safe = ""
        for byte in name.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80 && (CharacterSet.alphanumerics.contains(scalar) || byte == UInt8(ascii: "-")
                               || byte == UInt8(ascii: "_")) {
                safe.append(Character(scalar))
            } else {
                safe += String(format: "%%%02X", byte)
            }
        }
        guard safe.utf8.count > 120 else { return safe }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325       // FNV-1a
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(safe.prefix(100)) + String(format: "-%016llx", hash)
    }

    /// The path of a file of the set.
    public func path(of fileName: String) -> String { (folder as NSString).appendingPathComponent(fileName) }

    private var manifestName: String { ".songatlas-\(name).manifest.json" }
    private var manifestPath: String { (recordFolder as NSString).appendingPathComponent(manifestName) }

    /// What the folder holds of the set's previous commit, read from its manifest.
    public struct PreviousCommit: Sendable, Equatable {
        /// Files the manifest lists that are still exactly as SongAtlas wrote them.
        public var unchanged: Set<String>
        /// Files the manifest lists that a person (or another program) changed, replaced or removed since.
        public var changed: Set<String>
    }

    /// The set's previous commit in this folder, or nil when no manifest of this set is there.
    ///
    /// A file counts as unchanged only when its device, inode, size and modification time are the ones
    /// recorded, so a document can be trusted (read back and updated) only while it is in that list.
    public func previousCommit() -> PreviousCommit? {
        guard let manifest = Manifest.read(manifestPath) else { return nil }
        var result = PreviousCommit(unchanged: [], changed: [])
        for entry in manifest.files where Manifest.isPlainName(entry.name) {
            var status = stat()
            if lstat(path(of: entry.name), &status) == 0, status.st_mode & S_IFMT == S_IFREG, entry.matches(status) {
                result.unchanged.insert(entry.name)
            } else {
                result.changed.insert(entry.name)
            }
        }
        return result
    }

    /// Checks, before the work, that files of these names may be written (see ``OutputRules``):
    /// each is new, or a file of this set that SongAtlas wrote and no one changed since.
    ///
    /// ``add(_:_:)`` checks each file again, and ``commit(waiting:)`` checks them all once more
    /// under the folder's lock, before the first rename.
    ///
    /// - Throws: ``OutputError/foreignFile(path:)``, ``OutputError/audioFile(path:)``,
    ///   ``OutputError/readOnly(path:)``, or another ``OutputError`` for a path that cannot be written.
    public func check(_ fileNames: [String]) throws(OutputError) {
        let manifest = Manifest.read(manifestPath)
        for fileName in fileNames { try checkMember(fileName, manifest: manifest) }
    }

    private func checkMember(_ fileName: String, manifest: Manifest?) throws(OutputError) {
        let destination = try OutputDestination.resolveRegular(path(of: fileName))
        try rules.checkReplaceable(destination, requested: path(of: fileName),
                                   recorded: manifest?.files.first { $0.name == fileName })
    }

    /// Starts one file of the set: checks its name and path, and creates its temporary file.
    ///
    /// - Returns: the temporary file's open, write-only descriptor; the caller writes, flushes and closes it.
    func stage(_ fileName: String, checked: Bool = true) throws(OutputError) -> Int32 {
        guard Manifest.isPlainName(fileName) || !checked else {
            throw .unsupportedDestination(path: path(of: fileName), kind: "not a plain file name")
        }
        guard !staged.contains(where: { $0.fileName == fileName }) else {
            throw .sameDestination(path: path(of: fileName))
        }
        for needed in [folder, recordFolder] {
            do {
                try FileManager.default.createDirectory(atPath: needed, withIntermediateDirectories: true)
            } catch {
                throw .notWritable(path: needed, reason: "cannot create the folder")
            }
        }
        let destination = try OutputDestination.resolveRegular(checked ? path(of: fileName) : manifestPath)
        if checked { try checkMember(fileName, manifest: Manifest.read(manifestPath)) }
        let temporary = try TemporaryFiles.shared.create(in: OutputDestination.folder(of: destination), for: fileName)
        staged.append(Staged(fileName: fileName, destination: destination, temporaryPath: temporary.path))
        var existing = stat()
        if stat(destination, &existing) == 0 { fchmod(temporary.descriptor, existing.st_mode & 0o7777) }
        return temporary.descriptor
    }

    /// Writes one file of the set to its temporary file.
    ///
    /// - Parameters:
    ///   - fileName: a plain file name (no `/`), unique in the set.
    ///   - data: the whole contents.
    /// - Throws: ``OutputError`` (``OutputError/sameDestination(path:)`` for a name already in
    ///   the set, ``OutputError/foreignFile(path:)`` and the like for a file that may not be
    ///   replaced); the set should then be abandoned (it is, when it goes away).
    public func add(_ fileName: String, _ data: Data) throws(OutputError) {
        try add(fileName, data, checked: true)
    }

    private func add(_ fileName: String, _ data: Data, checked: Bool) throws(OutputError) {
        let descriptor = try stage(fileName, checked: checked)
        var failure = OutputWriter.writeAll(data, to: descriptor)
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure != 0 { throw .writeFailed(path: path(of: fileName), reason: OutputError.message(failure)) }
    }

    /// Writes one file of the set from UTF-8 text.
    public func add(_ fileName: String, _ text: String) throws(OutputError) { try add(fileName, Data(text.utf8)) }

    /// What a commit did besides putting the new files in place.
    public struct CommitReport: Sendable, Equatable {
        /// Files of the previous run's set that this run did not write, removed.
        public var removed: [String] = []
        /// Files of the previous run's set left in place because they changed since SongAtlas wrote them.
        public var keptChanged: [String] = []
    }

    /// Puts every file of the set in place, then removes what is left of the previous set.
    ///
    /// - Parameter waiting: called once if another run holds the folder's lock, with a message to show.
    /// - Returns: what else was done (also kept in ``report``).
    /// - Throws: ``OutputError``; before the first rename, nothing in the folder has changed.
    @discardableResult
    public func commit(waiting: ((String) -> Void)? = nil) throws(OutputError) -> CommitReport {
        try Self.commit([self], waiting: waiting)[0]
    }

    /// Puts every file of several sets in place together: all of them are written whole and checked
    /// first, and only then is anything renamed (a command's outputs in different folders, such as
    /// `segment -o` and `--plot`, land together or not at all).
    ///
    /// - Parameters:
    ///   - sets: sets not yet committed; two of them may share a folder but not a file.
    ///   - waiting: called if another run holds a folder's lock.
    /// - Returns: one report per set, in order.
    /// - Throws: ``OutputError``; before the first rename, no destination has changed and every set is abandoned.
    @discardableResult
    public static func commit(_ sets: [OutputSet], waiting: ((String) -> Void)? = nil) throws(OutputError)
        -> [CommitReport]
    {
        precondition(!sets.contains { $0.finished }, "an output set is committed once")
        defer { for set in sets { set.releaseLock() } }
        do {
            return try commitUnchecked(sets, waiting: waiting)
        } catch {
            for set in sets { set.abandon() }
            throw error
        }
    }

    private static func commitUnchecked(_ sets: [OutputSet], waiting: ((String) -> Void)?) throws(OutputError)
        -> [CommitReport]
    {
        // Two outputs aimed at one file (through different names or links) are refused before anything moves.
        var seen: Set<String> = []
        for set in sets {
            for file in set.staged where !seen.insert(OutputDestination.canonical(file.destination)).inserted {
                throw .sameDestination(path: set.path(of: file.fileName))
            }
        }
        // One lock per folder (two locks on one file from one process would wait for each other), in one order.
        var folders: [String: String] = [:]
        for set in sets { folders[OutputDestination.canonical(set.recordFolder)] = set.recordFolder }
        var locks: [FolderLock] = []
        defer { for lock in locks.reversed() { lock.release() } }
        let held = Set(sets.filter { $0.heldLock != nil }.map { OutputDestination.canonical($0.recordFolder) })
        for key in folders.keys.sorted() where !held.contains(key) {
            locks.append(try FolderLock(folder: folders[key]!, waiting: waiting))
        }
        for set in sets { TemporaryFiles.removeLeftovers(in: set.folder) }

        // Under the locks: every file checked again, and each manifest staged like every other file.
        var previous: [Manifest?] = []
        var written: [Set<String>] = []
        for set in sets {
            let manifest = Manifest.read(set.manifestPath)
            var entries: [Manifest.Entry] = []
            for file in set.staged {
                try set.checkMember(file.fileName, manifest: manifest)
                var status = stat()
                guard stat(file.temporaryPath, &status) == 0 else {
                    throw .writeFailed(path: set.path(of: file.fileName), reason: OutputError.message(errno))
                }
                entries.append(Manifest.Entry(name: file.fileName, status: status))
            }
            try set.add(set.manifestName, Manifest(set: set.name, files: entries).encoded(), checked: false)
            previous.append(manifest)
            written.append(Set(entries.map(\.name)))
        }

        return try TemporaryFiles.shared.committing { () throws(OutputError) -> [CommitReport] in
            var replaced: [String] = []
            for set in sets {
                set.finished = true
                for file in set.staged {
                    if rename(file.temporaryPath, file.destination) != 0 {
                        let code = errno
                        for other in sets { other.abandonStaged() }
                        guard replaced.isEmpty else {
                            throw .partiallyWritten(path: set.path(of: file.fileName), replaced: replaced,
                                                    reason: OutputError.message(code))
                        }
                        throw .writeFailed(path: set.path(of: file.fileName), reason: OutputError.message(code))
                    }
                    TemporaryFiles.shared.forget(file.temporaryPath)
                    replaced.append(set.path(of: file.fileName))
                }
                set.staged = []
            }
            var reports: [CommitReport] = []
            for (index, set) in sets.enumerated() {
                let report = set.removeRest(of: previous[index], keeping: written[index])
                set.report = report
                reports.append(report)
            }
            return reports
        }
    }

    /// Removes the files of the previous manifest that this commit did not write, if no one changed them.
    private func removeRest(of previous: Manifest?, keeping written: Set<String>) -> CommitReport {
        var report = CommitReport()
        for old in previous?.files ?? [] where !written.contains(old.name) && Manifest.isPlainName(old.name) {
            let oldPath = path(of: old.name)
            var status = stat()
            guard lstat(oldPath, &status) == 0 else { continue }
            if status.st_mode & S_IFMT == S_IFREG && old.matches(status) {
                if unlink(oldPath) == 0 { report.removed.append(old.name) }
            } else {
                report.keptChanged.append(old.name)
            }
        }
        return report
    }

    /// Removes the temporary files; the folder is as it was.
    public func abandon() {
        releaseLock()
        guard !finished else { return }
        finished = true
        abandonStaged()
    }

    private func abandonStaged() {
        for file in staged { TemporaryFiles.shared.discard(file.temporaryPath) }
        staged = []
    }
}

/// What one commit of an output set wrote.
struct Manifest: Codable {
    struct Entry: Codable {
        var name: String
        var device: UInt64
        var inode: UInt64
        var sizeBytes: Int64
        /// Modification time: whole seconds since 1970, and nanoseconds (kept apart, so no date overflows).
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64

        init(name: String, status: stat) {
            self.name = name
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
            sizeBytes = Int64(status.st_size)
            modifiedSeconds = Int64(status.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(status.st_mtim.tv_nsec)
        }

        /// True when the file at hand is the very file written, unchanged.
        func matches(_ status: stat) -> Bool {
            let other = Entry(name: name, status: status)
            return other.device == device && other.inode == inode && other.sizeBytes == sizeBytes
                && other.modifiedSeconds == modifiedSeconds && other.modifiedNanoseconds == modifiedNanoseconds
        }
    }

    var generator = "songatlas"
    var set: String
    var files: [Entry]

    /// A name that can only mean a file in the set's own folder.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
            && !name.hasPrefix(".songatlas")
    }

    static func read(_ path: String) -> Manifest? {
        guard let data = FileManager.default.contents(atPath: path),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data), manifest.generator == "songatlas"
        else { return nil }
        return manifest
    }

    func encoded() -> Data {
        ((try? JSONOutput.encoder().encode(self)) ?? Data()) + Data("\n".utf8)
    }
}

/// An exclusive `flock` on a folder's `.songatlas.lock`, so runs writing one folder take turns.
///
/// The lock file is SongAtlas's own and is left in place (removing a lock file races with the next locker).
struct FolderLock {
    /// The lock file's name in the folder.
    static let fileName = ".songatlas.lock"

    private let descriptor: Int32

    init(folder: String, waiting: ((String) -> Void)?) throws(OutputError) {
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw .notWritable(path: path, reason: OutputError.message(errno)) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { waiting?("another songatlas run is writing to \(folder); waiting for it to finish") }
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(descriptor)
                    throw .notWritable(path: path, reason: OutputError.message(code))
                }
            }
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
