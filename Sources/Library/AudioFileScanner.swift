import AudioDecoding
import Foundation

/// Finds the audio files under a set of paths.
///
/// Files named directly are taken whatever their extension, so that a
/// wrongly named file still gets a clear decoding error. Folders are walked
/// recursively, in name order, for names with an extension libsndfile reads.
/// Hidden files and folders (names starting with a dot) are skipped. Symbolic
/// links are followed, but a folder already visited is not entered again, so
/// a link loop ends; a file reached twice is listed once. Problems (a missing
/// path, an unreadable folder, a broken link, a FIFO, a name that is not
/// UTF-8, a path too long for the system) are returned alongside the files
/// rather than stopping the scan.
///
/// Paths up to the system's `PATH_MAX` (4096 bytes on Linux, counting the
/// final NUL) are walked like any other. A folder or audio file whose path
/// reaches that limit cannot be opened by path by any stage after the scan,
/// so it is reported with ``DecodingError/pathTooLongReason(limitBytes:)``
/// and not entered; the rest of the scan goes on.
public enum AudioFileScanner {
    /// Extensions of formats libsndfile reads, in lower case.
    public static let audioExtensions: Set<String> = [
        "wav", "wave", "aif", "aiff", "aifc", "flac", "ogg", "oga", "opus", "mp3", "mp2", "mp1",
        "au", "snd", "caf", "w64", "rf64", "voc", "sf", "ircam", "mat", "pvf", "xi", "htk", "sds", "avr", "sd2", "wve",
    ]

    /// One problem met while scanning.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// What a scan found.
    public struct Result: Sendable, Equatable {
        /// Audio files, folders' contents in name order, as the user would spell them.
        public var files: [String] = []
        public var problems: [Problem] = []
        /// The folders that were walked, as absolute paths (their contents are complete).
        public var scannedFolders: [String] = []
    }

    /// Scans `paths`.
    public static func scan(_ paths: [String]) -> (files: [String], problems: [Problem]) {
        let result = scanFolders(paths)
        return (result.files, result.problems)
    }

    /// Scans `paths`, also reporting which folders were walked.
    public static func scanFolders(_ paths: [String]) -> Result {
        var walker = Walker()
        for path in paths {
            guard let status = walker.status(path) else {
                let tooLong = errno == ENAMETOOLONG && path.utf8.count >= DecodingError.pathLimitBytes
                walker.result.problems.append(Problem(
                    path: path, reason: tooLong ? DecodingError.pathTooLongReason() : "no such file or folder"))
                continue
            }
            if isDirectory(status) {
                walker.result.scannedFolders.append(URL(fileURLWithPath: path).standardizedFileURL.path)
                walker.walk(path, status: status)
            } else if isRegularFile(status) {
                walker.add(path, status: status)
            } else {
                walker.result.problems.append(Problem(path: path, reason: "not a regular file"))
            }
        }
        return walker.result
    }

    private struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private struct Walker {
        var result = Result()
        var visitedFolders = Set<Identity>()
        var seenFiles = Set<Identity>()

        /// `stat` (following links); nil when the path does not resolve.
        func status(_ path: String) -> stat? {
            var status = stat()
            return stat(path, &status) == 0 ? status : nil
        }

        mutating func add(_ path: String, status: stat) {
            let identity = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            if seenFiles.insert(identity).inserted { result.files.append(path) }
        }

        mutating func walk(_ folder: String, status: stat) {
            let identity = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            guard visitedFolders.insert(identity).inserted else { return }     // a link loop, or a second way in
            guard let listing = AudioFileScanner.listFolder(folder) else {
                let reason = access(folder, R_OK | X_OK) == 0 ? "cannot read folder" : "permission denied"
                result.problems.append(Problem(path: folder, reason: reason))
                return
            }
            func join(_ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }
            for (name, isFolder) in listing.undecodable where !name.hasPrefix(".") {
                if isFolder {
                    result.problems.append(Problem(path: join(name), reason: "folder not scanned: "
                        + AudioFileScanner.undecodableNameReason))
                } else if audioExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    result.problems.append(Problem(path: join(name), reason: AudioFileScanner.undecodableNameReason))
                }
            }
            for name in listing.names.sorted() where !name.hasPrefix(".") {
                let path = join(name)
                let isAudioName = audioExtensions.contains((name as NSString).pathExtension.lowercased())
                if path.utf8.count >= DecodingError.pathLimitBytes {
                    // Not even `stat` takes this path; look at the entry from its folder.
                    if isAudioName || AudioFileScanner.isFolder(named: name, in: folder) {
                        result.problems.append(Problem(path: path, reason: DecodingError.pathTooLongReason()))
                    }
                    continue
                }
                guard let entry = self.status(path) else {
                    result.problems.append(Problem(path: path, reason: AudioFileScanner.unresolvedReason(path, errno: errno)))
                    continue
                }
                if isDirectory(entry) {
                    walk(path, status: entry)
                } else if isAudioName {
                    if isRegularFile(entry) {
                        add(path, status: entry)
                    } else {
                        result.problems.append(Problem(path: path, reason: "not a regular file"))
                    }
                }
            }
        }
    }

    /// Why `stat` failed on `path`, a name just listed in its folder.
    ///
    /// - Parameters:
    ///   - path: the entry's path, shorter than `PATH_MAX`.
    ///   - errno: the error `stat` set.
    /// - Returns: "broken symbolic link" for a link that leads nowhere (or in
    ///   a loop), "no such file or folder" for an entry removed since it was
    ///   listed, otherwise the system's reason.
    static func unresolvedReason(_ path: String, errno failure: Int32) -> String {
        var status = stat()
        if lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK { return "broken symbolic link" }
        if failure == ENOENT { return "no such file or folder" }
        return String(cString: strerror(failure))
    }

    /// Whether `name` in `folder` is a folder (links followed), asked of the
    /// folder itself with `fstatat`, so that it works when `folder/name` is
    /// longer than `PATH_MAX`.
    static func isFolder(named name: String, in folder: String) -> Bool {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        return fstatat(descriptor, name, &status, 0) == 0 && isDirectory(status)
    }

    /// Why a name that is not UTF-8 is skipped.
    static let undecodableNameReason = "the name is not valid UTF-8 (bad bytes shown as \\xNN); "
        + "rename it to UTF-8, for example with: convmv -f latin1 -t utf8 --notest -r FOLDER"

    /// A folder's entries (without `.` and `..`): names that are valid UTF-8,
    /// and the others with their bad bytes written as `\xNN` and whether they
    /// are folders (links followed). Nil when the folder cannot be opened.
    ///
    /// Swift strings hold only valid Unicode, so a name in another encoding
    /// (a Latin-1 name from an old rip, say) cannot become a path that opens
    /// the file again; it is reported instead of being silently mangled.
    static func listFolder(_ folder: String) -> (names: [String], undecodable: [(name: String, isFolder: Bool)])? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        var undecodable: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if bytes == Array(".".utf8) || bytes == Array("..".utf8) { continue }
            if let name = String(validating: bytes, as: UTF8.self) {
                names.append(name)
            } else {
                var status = stat()
                let found = (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { name in
                    fstatat(dirfd(directory), name.baseAddress!, &status, 0) == 0
                }
                undecodable.append((escaped(bytes), found && isDirectory(status)))
            }
        }
        return (names, undecodable.sorted { $0.name < $1.name })
    }

    /// The bytes as text, with bytes that are not part of valid UTF-8 written as `\xNN`.
    static func escaped(_ bytes: [UInt8]) -> String {
        var text = ""
        var index = 0
        while index < bytes.count {
            // The longest valid UTF-8 sequence starting here (1–4 bytes), if any.
            var decoded: String?
            var length = 1
            for candidate in 1...4 where index + candidate <= bytes.count {
                if let piece = String(validating: bytes[index..<(index + candidate)], as: UTF8.self) {
                    decoded = piece
                    length = candidate
                    break
                }
            }
            if let decoded {
                text += decoded
                index += length
            } else {
                text += String(format: "\\x%02X", bytes[index])
                index += 1
            }
        }
        return text
    }

    private static func isDirectory(_ status: stat) -> Bool { status.st_mode & S_IFMT == S_IFDIR }
    private static func isRegularFile(_ status: stat) -> Bool { status.st_mode & S_IFMT == S_IFREG }
}
