import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// File-level work on the feature cache that must never harm what is not ours:
/// recognising a SongAtlas cache from its header, creating a new one without a
/// half-made file ever sitting at the path, and setting a damaged one aside.
///
/// Follows SQLite's file format (https://www.sqlite.org/fileformat.html): the
/// first 16 bytes are "SQLite format 3\0" and `PRAGMA application_id` is the
/// big-endian 32-bit integer at byte offset 68.
enum CacheFile {
    /// What is at a cache path, when it is not refused.
    enum Inspection: Equatable {
        /// Nothing (not even a symbolic link).
        case missing
        /// A SongAtlas cache (SQLite header and our application id) at `target`,
        /// the path itself or the real path a symbolic link leads to.
        case ours(target: String)
    }

    static let sqliteMagic = Array("SQLite format 3\0".utf8)

    /// Examines `path` without changing anything: `lstat`, then `stat` through a
    /// symbolic link, then the first 100 bytes of a regular file.
    ///
    /// - Parameter path: the cache path as given.
    /// - Returns: ``Inspection/missing`` or ``Inspection/ours(target:)``.
    /// - Throws: ``CacheError`` when the path holds something that is not a
    ///   SongAtlas cache (``CacheError/Reason/isNotACache``), or cannot be examined.
    static func inspect(_ path: String, applicationID: Int32) throws -> Inspection {
        func refuse(_ reason: CacheError.Reason) -> CacheError { CacheError(path: path, reason: reason) }
        var status = stat()
        if lstat(path, &status) != 0 {
            if errno == ENOENT { return .missing }
            throw refuse(.cannotOpen(detail: String(cString: strerror(errno))))
        }
        var target = path
        if status.st_mode & S_IFMT == S_IFLNK {
            if stat(path, &status) != 0 {
                if errno == ENOENT {
                    let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                    throw refuse(.danglingSymlink(target: destination))
                }
                throw refuse(.cannotOpen(detail: String(cString: strerror(errno))))
            }
            guard let resolved = realpath(path, nil) else {
                throw refuse(.cannotOpen(detail: String(cString: strerror(errno))))
            }
            target = String(cString: resolved)
            free(resolved)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw refuse(.folder)
        case S_IFIFO: throw refuse(.specialFile(kind: "a FIFO"))
        case S_IFCHR, S_IFBLK: throw refuse(.specialFile(kind: "a device"))
        case S_IFSOCK: throw refuse(.specialFile(kind: "a socket"))
        default: throw refuse(.specialFile(kind: "not a regular file"))
        }
        if status.st_size == 0 { throw refuse(.notSQLite(detail: "it is an empty file")) }

        let descriptor = open(target, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw refuse(.cannotOpen(detail: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG else {
            throw refuse(.specialFile(kind: "not a regular file"))
        }
        var header = [UInt8](repeating: 0, count: 100)
        var filled = 0
        while filled < header.count {
            let count = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw refuse(.cannotOpen(detail: String(cString: strerror(errno)))) }
            if count == 0 { break }
            filled += count
        }
        guard filled == header.count, Array(header[0..<16]) == sqliteMagic else {
            throw refuse(.notSQLite(detail: "it is not an SQLite database"))
        }
        let found = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard Int32(bitPattern: found) == applicationID else {
            throw refuse(.foreignDatabase(applicationID: Int32(bitPattern: found)))
        }
        return .ours(target: target)
    }

    /// Creates a new cache at `path` so that the path never holds a half-made one.
    ///
    /// The database is built in full (by `initialise`) in a temporary file in the
    /// same folder, switched to WAL mode and closed, then linked to `path` with
    /// link(2), which never replaces anything, and the temporary name unlinked.
    ///
    /// - Parameters:
    ///   - path: where the cache goes; its folder must exist.
    ///   - initialise: writes the schema, `application_id` and `user_version`.
    /// - Returns: true when the new cache is in place; false when something
    ///   appeared at `path` meanwhile (the caller examines it again).
    /// - Throws: ``CacheError`` (``CacheError/Reason/cannotCreate(detail:)``).
    static func create(at path: String, initialise: (Database) throws -> Void) throws -> Bool {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).new-\(getpid())-\(UUID().uuidString.prefix(8))").path
        func discardTemporary() {
            // Only the files this call just made.
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        }
        do {
            let queue = try DatabaseQueue(path: temporary)
            try queue.write(initialise)
            _ = try queue.writeWithoutTransaction { try String.fetchOne($0, sql: "PRAGMA journal_mode = WAL") }
            try queue.close()
        } catch {
            discardTemporary()
            throw CacheError(path: path, reason: .cannotCreate(detail: "\(error)"))
        }
        defer { discardTemporary() }
        if link(temporary, path) == 0 { return true }
        if errno == EEXIST { return false }
        throw CacheError(path: path, reason: .cannotCreate(detail: "cannot link the new cache into place: "
            + String(cString: strerror(errno))))
    }

    /// Moves the damaged cache `target` (with its -wal and -shm) to a new unique
    /// name next to it, `TARGET.broken-YYYYMMDD-HHMMSS-PID` (then `-2`, `-3`, …),
    /// never replacing anything: each file is linked to its new name first and
    /// the old name unlinked only once every link exists.
    ///
    /// - Returns: the new path of the main file.
    /// - Throws: ``CacheError`` (``CacheError/Reason/damaged(detail:)``) when it
    ///   cannot be moved; then nothing was moved.
    static func setAside(_ target: String, cachePath: String, detail: String) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stem = "\(target).broken-\(formatter.string(from: Date()))-\(getpid())"
        let companions = ["-wal", "-shm"].filter { suffix in
            var status = stat()
            return lstat(target + suffix, &status) == 0
        }
        func failure(_ what: String) -> CacheError {
            CacheError(path: cachePath, reason: .damaged(detail: "\(detail); it could not be set aside: \(what)"))
        }
        for attempt in 1...1000 {
            let aside = attempt == 1 ? stem : "\(stem)-\(attempt)"
            var status = stat()
            if ([""] + companions).contains(where: { lstat(aside + $0, &status) == 0 }) { continue }
            guard link(target, aside) == 0 else {
                if errno == EEXIST { continue }
                throw failure(String(cString: strerror(errno)))
            }
            var linked = [""]
            for suffix in companions {
                guard link(target + suffix, aside + suffix) == 0 else {
                    let reason = String(cString: strerror(errno))
                    for made in linked { unlink(aside + made) }   // the extra names just made; the files keep their old names
                    throw failure("\(target + suffix): \(reason)")
                }
                linked.append(suffix)
            }
            // Companions first: a -wal must never outlive its main file under the old name.
            for suffix in companions.reversed() + [""] { unlink(target + suffix) }
            return aside
        }
        throw failure("no free name next to it")
    }
}
