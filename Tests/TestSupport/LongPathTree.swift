import Foundation

/// Folder chains whose paths reach a chosen length, up to and past the
/// system's `PATH_MAX` (4096 bytes on Linux), for tests of long paths.
///
/// A path of `PATH_MAX` bytes or more cannot be passed to `mkdir`, `open` or
/// `rm`, yet such trees exist: they are made one folder at a time relative to
/// an open folder (`mkdirat`, `openat`, `renameat`), which is what this type
/// does, and removed the same way by ``remove(_:)``.
public struct LongPathTree {
    /// The folder the chain starts in (a short path).
    public let root: String
    /// The folder names below `root`, each at most `NAME_MAX` (255) bytes.
    public let components: [String]

    /// The deepest folder's full path; may be longer than `PATH_MAX`.
    public var path: String { ([root] + components).joined(separator: "/") }

    /// The system's limit on a path, in bytes, counting the final NUL.
    public static let pathLimitBytes = Int(PATH_MAX)

    /// Makes folders under `root` so that `path + "/" + fileName` is exactly
    /// `fileBytes` bytes long.
    ///
    /// - Parameters:
    ///   - root: an existing folder, given by a short path.
    ///   - fileName: the name of the file that will go in the deepest folder.
    ///   - fileBytes: the wanted length of that file's path in bytes; at least
    ///     `root.utf8.count + fileName.utf8.count + 3`.
    ///   - letter: the character folder names are made of, so that two chains
    ///     in one root do not share folders.
    /// - Throws: when a folder cannot be made.
    public init(under root: String, fileName: String, fileBytes: Int, letter: Character = "d") throws {
        self.root = root
        // Bytes left for "/c1/c2/…/cn" between the root and "/fileName".
        var remaining = fileBytes - root.utf8.count - fileName.utf8.count - 1
        precondition(remaining >= 2, "fileBytes=\(fileBytes) is too short for root and file name")
        var names: [String] = []
        while remaining > 0 {
            // Each component takes its length plus one slash; never leave a
            // remainder of 1, which could not hold a slash and a name.
            var length = min(200, remaining - 1)
            if remaining - (length + 1) == 1 { length -= 1 }
            names.append(String(repeating: letter, count: length))
            remaining -= length + 1
        }
        components = names
        try withDeepestFolder(creating: true) { _ in }
    }

    /// Moves the file at `source` (a short path) into the deepest folder as `name`.
    ///
    /// - Throws: when the file cannot be moved.
    public func moveIn(_ source: String, as name: String) throws {
        try withDeepestFolder(creating: false) { folder in
            guard renameat(AT_FDCWD, source, folder, name) == 0 else {
                throw LongPathError("cannot move \(source) into the long folder: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Calls `body` with a descriptor of the deepest folder, reached one folder at a time.
    private func withDeepestFolder(creating: Bool, _ body: (Int32) throws -> Void) throws {
        var folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw LongPathError("cannot open \(root)") }
        defer { close(folder) }
        for name in components {
            if creating && mkdirat(folder, name, 0o755) != 0 && errno != EEXIST {
                throw LongPathError("cannot make folder \(name): \(String(cString: strerror(errno)))")
            }
            let next = openat(folder, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard next >= 0 else { throw LongPathError("cannot open folder \(name): \(String(cString: strerror(errno)))") }
            close(folder)
            folder = next
        }
        try body(folder)
    }

    /// Removes the folder at `path` (a short path) and everything under it,
    /// however deep, with operations relative to open folders: `rm -r` and
    /// `FileManager.removeItem` name every file by its full path, which fails
    /// past `PATH_MAX`. Links are removed, never followed.
    ///
    /// - Throws: when something could not be removed.
    public static func remove(_ path: String) throws {
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else {
            if errno == ENOENT { return }
            throw LongPathError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        try removeContents(of: folder)
        close(folder)
        guard rmdir(path) == 0 else { throw LongPathError("cannot remove \(path): \(String(cString: strerror(errno)))") }
    }

    /// Empties the open folder `folder`; the descriptor stays open.
    private static func removeContents(of folder: Int32) throws {
        let listing = dup(folder)
        guard listing >= 0, let directory = fdopendir(listing) else { throw LongPathError("cannot list a folder") }
        // Raw bytes, so that names which are not UTF-8 are removed too.
        var names: [[CChar]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw.prefix { $0 != 0 }.map { CChar(bitPattern: $0) } + [0]
            }
            if name != [46, 0] && name != [46, 46, 0] { names.append(name) }
        }
        closedir(directory)
        for name in names {
            var status = stat()
            guard fstatat(folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if status.st_mode & S_IFMT == S_IFDIR {
                let child = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else { throw LongPathError("cannot open a folder: \(String(cString: strerror(errno)))") }
                defer { close(child) }
                try removeContents(of: child)
                guard unlinkat(folder, name, AT_REMOVEDIR) == 0 else {
                    throw LongPathError("cannot remove a folder: \(String(cString: strerror(errno)))")
                }
            } else {
                guard unlinkat(folder, name, 0) == 0 else {
                    throw LongPathError("cannot remove a file: \(String(cString: strerror(errno)))")
                }
            }
        }
    }
}

/// Why a long-path tree could not be made or removed.
public struct LongPathError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
