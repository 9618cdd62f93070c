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
/// ``resolve(_:)`` also checks that the location can be written, so a bad
/// `-o` fails before a long analysis rather than after it.
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

    /// Decides how `path` is written, and checks that it can be.
    ///
    /// - Parameter path: a file path, or `-` for standard output.
    /// - Throws: ``OutputError`` for a folder, a block device or socket, a
    ///   symbolic-link loop, or a location that cannot be written.
    public static func resolve(_ path: String) throws(OutputError) -> OutputDestination {
        if path == "-" { return OutputDestination(requested: path, kind: .standardOutput) }
        guard !path.isEmpty else { throw .notWritable(path: path, reason: "empty path") }
        return OutputDestination(requested: path, kind: try kind(of: path))
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
        let parent = (path as NSString).deletingLastPathComponent
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
/// Not thread-safe: one writer, one thread at a time.
public final class OutputWriter {
    public let destination: OutputDestination
    private var descriptor: Int32
    private var temporaryPath: String?
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
            let folder = OutputDestination.folder(of: path)
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .notWritable(path: destination.requested, reason: "cannot create folder \(folder)")
            }
            let temporary = try TemporaryFiles.shared.create(in: folder, for: (path as NSString).lastPathComponent)
            descriptor = temporary.descriptor
            temporaryPath = temporary.path
            var existing = stat()
            if stat(path, &existing) == 0 { fchmod(descriptor, existing.st_mode & 0o7777) }
        }
    }

    deinit { if !done { abandon() } }

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
    public func finish() throws(OutputError) {
        guard !done else { return }
        done = true
        guard let temporaryPath, case let .file(path) = destination.kind else {
            if descriptor != STDOUT_FILENO { close(descriptor) }
            return
        }
        let flushed = fsync(descriptor) == 0 ? 0 : errno
        close(descriptor)
        if flushed != 0 {
            TemporaryFiles.shared.discard(temporaryPath)
            throw .writeFailed(path: destination.requested, reason: OutputError.message(flushed))
        }
        do {
            try TemporaryFiles.shared.committing { () throws(OutputError) in
                if rename(temporaryPath, path) != 0 {
                    throw .writeFailed(path: destination.requested, reason: OutputError.message(errno))
                }
                TemporaryFiles.shared.forget(temporaryPath)
            }
        } catch {
            TemporaryFiles.shared.discard(temporaryPath)
            throw error
        }
    }

    /// Gives up: the temporary file is removed and the destination is untouched.
    public func abandon() {
        guard !done else { return }
        done = true
        if let temporaryPath {
            close(descriptor)
            TemporaryFiles.shared.discard(temporaryPath)
        } else if descriptor != STDOUT_FILENO {
            close(descriptor)
        }
    }
}
