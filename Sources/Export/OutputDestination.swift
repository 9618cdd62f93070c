import FilePaths
import Foundation

/// Where one output file goes, decided once, before any work is done.
///
/// SongAtlas writes only what it was asked to and never destroys what is at
/// the path by mistake (the pattern of SQLite's atomic commit: write aside,
/// then rename):
/// - `-` is standard output;
/// - a regular file, or a path where nothing is yet, is replaced atomically:
///   written to a temporary file beside it, flushed, then renamed over it
///   (keeping the old file's permissions);
/// - a symbolic link is followed, and its target is replaced atomically the
///   same way, so the link stays a link;
/// - a FIFO, a character device, or anything under `/dev` or `/proc` (such as
///   `/dev/stdout`) is opened and written in place, never replaced;
/// - a folder, a block device or a socket is refused.
///
/// ``resolve(_:rules:)`` also checks that the location can be written, and that
/// the file there may be replaced (``OutputRules``: only a file SongAtlas wrote
/// there and no one changed since; never audio, never a read-only file), so a
/// bad `-o` fails before a long analysis rather than after it. A regular file
/// is written as a one-file ``OutputSet`` named after it, whose manifest
/// (`.songatlas-file-<name>.manifest.json` beside it) records that SongAtlas wrote it.
public struct OutputDestination: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Standard output.
        case standardOutput
        /// A regular file, existing or new, replaced atomically. `path` has its symbolic links followed.
        case file(path: String)
        /// Written in place: a FIFO, a character device, a `/dev` or `/proc` path.
        case inPlace(path: String)
    }

    /// The path as the user gave it.
    public let requested: String
    public let kind: Kind
    /// What may be replaced at the path.
    public let rules: OutputRules

    /// The folder that relative paths inside the output start from (an M3U8's song paths): the
    /// written file's folder (its symbolic links followed), else the working folder (standard
    /// output, a FIFO, a device), where a player reading the stream resolves them.
    public var folderForRelativePaths: String {
        if case let .file(path) = kind { return ParentFolder.of(path) }
        return FileManager.default.currentDirectoryPath
    }

    public static func == (left: OutputDestination, right: OutputDestination) -> Bool {
        left.requested == right.requested && left.kind == right.kind
            && left.rules.replaceForeign == right.rules.replaceForeign
    }

    /// Decides how `path` is written, and checks that it can be.
    ///
    /// - Parameters:
    ///   - path: a file path, or `-` for standard output.
    ///   - rules: what may be replaced; by default only a file SongAtlas wrote there, unchanged.
    /// - Throws: ``OutputError`` for an empty path, a folder, a block device or socket, a
    ///   symbolic-link loop, a location that cannot be written, or a file that may not be
    ///   replaced (``OutputError/foreignFile(path:)``, ``OutputError/audioFile(path:)``,
    ///   ``OutputError/readOnly(path:)``).
    public static func resolve(_ path: String, rules: OutputRules = OutputRules()) throws(OutputError)
        -> OutputDestination
    {
        if path == "-" { return OutputDestination(requested: path, kind: .standardOutput, rules: rules) }
        guard !path.isEmpty else { throw .notWritable(path: path, reason: "empty path") }
        let destination = OutputDestination(requested: path, kind: try kind(of: path), rules: rules)
        if case let .file(resolved) = destination.kind {
            let set = singleFileSet(for: resolved)
            let recorded = Manifest.read((set.recordFolder as NSString).appendingPathComponent(
                ".songatlas-\(OutputSet.fileNameSafe(set.name)).manifest.json"))?.files.first { $0.name == set.file }
            try rules.checkReplaceable(resolved, requested: path, recorded: recorded)
        }
        return destination
    }

    /// Where SongAtlas records the single files it wrote: `$XDG_CACHE_HOME/songatlas/outputs`
    /// (beside the journal of temporary files), so that a report's folder holds only the report.
    static var recordsFolder: String {
        (ParentFolder.of(TemporaryFiles.journalFolder) as NSString).appendingPathComponent("outputs")
    }

    /// The one-file output set a regular file is written as: its folder, its set name (one per
    /// absolute path), its file name, and the folder of its manifest and lock (the records folder,
    /// or the file's own folder when the records folder cannot be made).
    static func singleFileSet(for resolved: String) -> (folder: String, name: String, file: String, recordFolder: String) {
        let file = (resolved as NSString).lastPathComponent
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325       // FNV-1a of the absolute path
        for byte in RawPath.bytes(canonical(resolved)) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let records = recordsFolder
        let usable = (try? FileManager.default.createDirectory(atPath: records, withIntermediateDirectories: true)) != nil
            && access(records, W_OK | X_OK) == 0
        return (folder(of: resolved), String(format: "file-%016llx-", hash) + file, file,
                usable ? records : folder(of: resolved))
    }

    /// Checks that no two of `destinations` write the same file (through different spellings or
    /// symbolic links), nor both write standard output.
    ///
    /// - Throws: ``OutputError/sameDestination(path:)`` naming the second of the pair.
    public static func requireDistinct(_ destinations: [OutputDestination]) throws(OutputError) {
        var seen: Set<String> = []
        for destination in destinations {
            let key: String
            switch destination.kind {
            case .standardOutput: key = "-"
            case let .file(path), let .inPlace(path): key = canonical(path)
            }
            guard seen.insert(key).inserted else { throw .sameDestination(path: destination.requested) }
        }
    }

    /// `path` with its folder's symbolic links resolved and made absolute, so that two spellings
    /// of one file compare equal (the file itself need not exist yet).
    static func canonical(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let folder = ParentFolder.of(absolute)
        guard let resolved = realpath(folder, nil) else { return absolute }
        defer { free(resolved) }
        return (String(cString: resolved) as NSString).appendingPathComponent((absolute as NSString).lastPathComponent)
    }

    /// Resolves a member of an output set: a regular file or a new one, after symbolic links.
    static func resolveRegular(_ path: String) throws(OutputError) -> String {
        switch try kind(of: path) {
        case let .file(resolved): return resolved
        case .inPlace, .standardOutput:
            throw .unsupportedDestination(path: path, kind: "not a regular file")
        }
    }

    private static func kind(of path: String) throws(OutputError) -> Kind {
        var current = path
        for _ in 0...40 {
            if isSystemPath(current) { return try inPlace(current, requested: path) }
            var status = stat()
            if lstat(current, &status) != 0 {
                let code = errno
                guard code == ENOENT else { throw .notWritable(path: path, reason: OutputError.message(code)) }
                try checkNewFile(current, requested: path)
                return .file(path: current)
            }
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                guard let target = readLink(current) else {
                    throw .notWritable(path: path, reason: OutputError.message(errno))
                }
                current = target.hasPrefix("/") ? target : (folder(of: current) as NSString).appendingPathComponent(target)
            case S_IFREG:
                // Root may write anything: a file no one may write is refused by its mode, not by access(2).
                if status.st_mode & 0o222 == 0 { throw .readOnly(path: path) }
                if access(current, W_OK) != 0 {
                    throw .notWritable(path: path, reason: "the file is read-only: " + OutputError.message(errno))
                }
                try checkFolderWritable(folder(of: current), requested: path)
                return .file(path: current)
            case S_IFDIR: throw .isFolder(path: path)
            case S_IFIFO, S_IFCHR: return try inPlace(current, requested: path)
            case S_IFBLK: throw .unsupportedDestination(path: path, kind: "a block device")
            case S_IFSOCK: throw .unsupportedDestination(path: path, kind: "a socket")
            default: throw .unsupportedDestination(path: path, kind: "not a file")
            }
        }
        throw .symlinkLoop(path: path)
    }

    /// `/proc/…`, and the symbolic links of `/dev/…` (`/dev/stdout` → `/proc/self/fd/1`), are the
    /// system's: written in place, never replaced. Other `/dev` entries go by their type (a
    /// character device in place, a block device refused, a file in `/dev/shm` replaced).
    private static func isSystemPath(_ path: String) -> Bool {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if absolute.hasPrefix("/proc/") { return true }
        guard absolute.hasPrefix("/dev/") else { return false }
        var status = stat()
        return lstat(absolute, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    private static func inPlace(_ path: String, requested: String) throws(OutputError) -> Kind {
        if access(path, W_OK) != 0 { throw .notWritable(path: requested, reason: OutputError.message(errno)) }
        return .inPlace(path: path)
    }

    /// A new file: its nearest existing ancestor must be a folder that takes new files.
    private static func checkNewFile(_ path: String, requested: String) throws(OutputError) {
        var ancestor = folder(of: path)
        while true {
            var status = stat()
            if stat(ancestor, &status) == 0 {
                guard status.st_mode & S_IFMT == S_IFDIR else {
                    throw .notWritable(path: requested, reason: "\(ancestor) is not a folder")
                }
                try checkFolderWritable(ancestor, requested: requested)
                return
            }
            let parent = folder(of: ancestor)
            if parent == ancestor { throw .notWritable(path: requested, reason: "no existing folder above it") }
            ancestor = parent
        }
    }

    static func checkFolderWritable(_ folder: String, requested: String) throws(OutputError) {
        if access(folder, W_OK | X_OK) != 0 {
            throw .notWritable(path: requested, reason: "folder \(folder): " + OutputError.message(errno))
        }
    }

    /// The folder holding `path` (`.` for a bare name).
    static func folder(of path: String) -> String {
        let parent = ParentFolder.of(path)
        return parent.isEmpty ? "." : parent
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Starts writing: text goes out as it is produced, and lands whole or not at all.
    public func openWriter() throws(OutputError) -> OutputWriter { try OutputWriter(self) }

    /// Writes `data` in one go.
    public func write(_ data: Data) throws(OutputError) {
        let writer = try openWriter()
        do throws(OutputError) {
            try writer.write(data)
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Writes `text` as UTF-8.
    public func write(_ text: String) throws(OutputError) { try write(Data(text.utf8)) }
}

/// An output being written: streamed to its temporary file (or in place), then put in place by ``finish()``.
///
/// A regular file is the only member of a one-file ``OutputSet``, so it is
/// checked and recorded in a manifest like the files of any other set.
///
/// Not thread-safe: one writer, one thread at a time.
public final class OutputWriter {
    public let destination: OutputDestination
    private var descriptor: Int32
    /// The one-file set of a regular file; nil for standard output and in-place destinations.
    private var set: OutputSet?
    private var done = false

    init(_ destination: OutputDestination) throws(OutputError) {
        self.destination = destination
        switch destination.kind {
        case .standardOutput:
            descriptor = STDOUT_FILENO
        case let .inPlace(path):
            descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            if descriptor < 0 {
                throw .notWritable(path: destination.requested, reason: OutputError.message(errno))
            }
        case let .file(path):
            let member = OutputDestination.singleFileSet(for: path)
            let set = try OutputSet(folder: member.folder, name: member.name, rules: destination.rules,
                                    recordFolder: member.recordFolder)
            do {
                descriptor = try set.stage(member.file)
            } catch {
                set.abandon()
                throw Self.named(error, destination.requested)
            }
            self.set = set
        }
    }

    deinit { if !done { abandon() } }

    /// `error` naming the path as the user gave it rather than the one its links led to.
    private static func named(_ error: OutputError, _ requested: String) -> OutputError {
        switch error {
        case .foreignFile: return .foreignFile(path: requested)
        case .audioFile: return .audioFile(path: requested)
        case .readOnly: return .readOnly(path: requested)
        default: return error
        }
    }

    /// Appends `data`.
    ///
    /// - Throws: ``OutputError/writeFailed(path:reason:)``; call ``abandon()`` then.
    public func write(_ data: Data) throws(OutputError) {
        let failure = Self.writeAll(data, to: descriptor)
        if failure != 0 { throw .writeFailed(path: destination.requested, reason: OutputError.message(failure)) }
    }

    /// Writes every byte of `data` to `descriptor`, retrying on EINTR.
    ///
    /// - Returns: 0, or the `errno` of the write that failed.
    static func writeAll(_ data: Data, to descriptor: Int32) -> Int32 {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
    }

    /// Appends `text` as UTF-8.
    public func write(_ text: String) throws(OutputError) { try write(Data(text.utf8)) }

    /// Flushes and puts the file in place (atomically, for a regular file).
    public func finish() throws(OutputError) { try Self.finish([self]) }

    /// Flushes every writer, then puts all their files in place together: if any cannot be
    /// flushed or checked, none is renamed and all are abandoned.
    ///
    /// Standard output and in-place destinations have had their bytes from the first write.
    ///
    /// - Throws: ``OutputError``.
    public static func finish(_ writers: [OutputWriter], waiting: ((String) -> Void)? = nil) throws(OutputError) {
        var sets: [OutputSet] = []
        var failure: OutputError?
        for writer in writers where !writer.done {
            writer.done = true
            if let set = writer.set {
                let flushed = fsync(writer.descriptor) == 0 ? 0 : errno
                close(writer.descriptor)
                if flushed != 0 && failure == nil {
                    failure = .writeFailed(path: writer.destination.requested, reason: OutputError.message(flushed))
                }
                sets.append(set)
            } else if writer.descriptor != STDOUT_FILENO {
                close(writer.descriptor)
            }
        }
        if let failure {
            for set in sets { set.abandon() }
            throw failure
        }
        guard !sets.isEmpty else { return }
        do {
            try OutputSet.commit(sets, waiting: waiting)
        } catch {
            throw writers.count == 1 ? named(error, writers[0].destination.requested) : error
        }
    }

    /// Gives up: the temporary file is removed and the destination is untouched.
    public func abandon() {
        guard !done else { return }
        done = true
        if let set {
            close(descriptor)
            set.abandon()
        } else if descriptor != STDOUT_FILENO {
            close(descriptor)
        }
    }
}

extension OutputDestination {
    /// Writes several outputs of one run so that they land together: every regular file is
    /// written whole and checked first, then standard output and in-place destinations are
    /// written, and only then are the files renamed into place. If anything fails before the
    /// renames, no file has changed.
    ///
    /// - Parameters:
    ///   - outputs: each destination with its whole contents; no two may be the same file.
    ///   - waiting: called if another run holds a folder's lock.
    /// - Throws: ``OutputError`` (``OutputError/sameDestination(path:)`` for two outputs to one file).
    public static func writeTogether(_ outputs: [(destination: OutputDestination, data: Data)],
                                     waiting: ((String) -> Void)? = nil) throws(OutputError) {
        try requireDistinct(outputs.map(\.destination))
        let ordered = outputs.filter { if case .file = $0.destination.kind { return true } else { return false } }
            + outputs.filter { if case .file = $0.destination.kind { return false } else { return true } }
        var writers: [OutputWriter] = []
        do throws(OutputError) {
            for output in ordered {
                let writer = try output.destination.openWriter()
                writers.append(writer)
                try writer.write(output.data)
            }
        } catch {
            for writer in writers { writer.abandon() }
            throw error
        }
        try OutputWriter.finish(writers, waiting: waiting)
    }
}
