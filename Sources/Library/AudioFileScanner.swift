import AudioDecoding
import FilePaths
import Foundation

/// Finds the audio files under a set of paths.
///
/// Files named directly are taken whatever their extension, so that a
/// wrongly named file still gets a clear decoding error; a cue sheet named
/// directly (`album.cue`) stands for the audio files it names, which the song
/// scan (``CueSongScan``) then splits into the sheet's tracks. Folders are walked
/// recursively, in name order, for names with an extension libsndfile or
/// FFmpeg reads (``audioExtensions``, matched case-insensitively: `.FLAC`,
/// `.Mp3`). Every other file is counted by its extension in
/// ``Result/otherFiles`` (images, text, playlists, cue sheets are other
/// files, never errors), so nothing is left out without a word.
/// Hidden files and folders (names starting with a dot) are skipped. Symbolic
/// links are followed, but a folder already visited is not entered again, so
/// a link loop ends; a file reached twice is listed once. Problems (a missing
/// path, an unreadable folder, a broken link, a FIFO, a path too long for the
/// system) are returned alongside the files rather than stopping the scan.
///
/// Names are read as bytes: one that is not UTF-8 (a Latin-1 rip, say) is
/// found and analysed like any other, carried losslessly in its `String`
/// (``RawPath``), and every call to the system here passes those bytes.
///
/// Paths up to the system's `PATH_MAX` (4096 bytes on Linux, counting the
/// final NUL) are walked like any other. A folder or audio file whose path
/// reaches that limit cannot be opened by path by any stage after the scan,
/// so it is reported with ``DecodingError/pathTooLongReason(limitBytes:)``
/// and not entered; the rest of the scan goes on.
public enum AudioFileScanner {
    /// Extensions of formats libsndfile reads, in lower case.
    public static let libsndfileExtensions: Set<String> = [
        "wav", "wave", "aif", "aiff", "aifc", "flac", "ogg", "oga", "opus", "mp3", "mp2", "mp1",
        "au", "snd", "caf", "w64", "rf64", "voc", "sf", "ircam", "mat", "pvf", "xi", "htk", "sds", "avr", "sd2", "wve",
    ]

    /// Extensions the scan takes as audio, in lower case: libsndfile's and
    /// FFmpeg's (``AudioDecoder/ffmpegExtensions``: m4a, wma, wv, mka, …).
    public static let audioExtensions = libsndfileExtensions.union(AudioDecoder.ffmpegExtensions)

    /// Whether `name`'s extension is an audio one, whatever its case.
    public static func hasAudioExtension(_ name: String) -> Bool {
        audioExtensions.contains((name as NSString).pathExtension.lowercased())
    }

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
        /// Files in the walked folders that are not audio, by extension.
        public var otherFiles = OtherFiles()
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
                let tooLong = errno == ENAMETOOLONG && RawPath.bytes(path).count >= DecodingError.pathLimitBytes
                walker.result.problems.append(Problem(
                    path: path, reason: tooLong ? DecodingError.pathTooLongReason() : "no such file or folder"))
                continue
            }
            if isDirectory(status) {
                walker.result.scannedFolders.append(PathKey.of(path))
                walker.walk(path, status: status)
            } else if isRegularFile(status), (path as NSString).pathExtension.lowercased() == "cue" {
                walker.addSheet(path, status: status)
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
            return RawPath.withCString(path) { stat($0, &status) } == 0 ? status : nil
        }

        mutating func add(_ path: String, status: stat) {
            let identity = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            if seenFiles.insert(identity).inserted { result.files.append(path) }
        }

        /// Counts a file that is not audio, once however often it is reached; whether it was new.
        @discardableResult
        mutating func addOther(_ path: String, status: stat) -> Bool {
            let identity = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            guard seenFiles.insert(identity).inserted else { return false }
            result.otherFiles.add(path)
            return true
        }

        /// A cue sheet named directly: the sheet, as an other file, and the audio files it names, as if
        /// named beside it (so the song scan splits them into the sheet's tracks). A sheet that cannot be
        /// read, or names a file that is not there, is a problem naming the sheet and its fault.
        mutating func addSheet(_ path: String, status sheetStatus: stat) {
            guard addOther(path, status: sheetStatus) else { return }
            do {
                let sheet = try CueSheet.read(path: path).resolvingFiles()
                for file in sheet.files.compactMap(\.path) {
                    guard let entry = status(file), isRegularFile(entry) else {
                        result.problems.append(Problem(path: file, reason: "no such file (named by \(RawPath.display(path)))"))
                        continue
                    }
                    add(file, status: entry)
                }
            } catch {
                result.problems.append(Problem(path: path, reason: (error.line.map { "line \($0): " } ?? "") + "\(error.fault)"))
            }
        }

        mutating func walk(_ folder: String, status: stat) {
            let identity = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            guard visitedFolders.insert(identity).inserted else { return }     // a link loop, or a second way in
            guard let listing = AudioFileScanner.listFolder(folder) else {
                let readable = RawPath.withCString(folder) { access($0, R_OK | X_OK) } == 0
                let reason = readable ? "cannot read folder" : "permission denied"
                result.problems.append(Problem(path: folder, reason: reason))
                return
            }
            func join(_ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }
            for name in listing.sorted() where !name.hasPrefix(".") {
                let path = join(name)
                let isAudioName = AudioFileScanner.hasAudioExtension(name)
                if RawPath.bytes(path).count >= DecodingError.pathLimitBytes {
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
                } else if !isAudioName {
                    addOther(path, status: entry)
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
        if RawPath.withCString(path, { lstat($0, &status) }) == 0 && status.st_mode & S_IFMT == S_IFLNK {
            return "broken symbolic link"
        }
        if failure == ENOENT { return "no such file or folder" }
        return String(cString: strerror(failure))
    }

    /// Whether `name` in `folder` is a folder (links followed), asked of the
    /// folder itself with `fstatat`, so that it works when `folder/name` is
    /// longer than `PATH_MAX`.
    static func isFolder(named name: String, in folder: String) -> Bool {
        let descriptor = RawPath.withCString(folder) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        return RawPath.withCString(name) { fstatat(descriptor, $0, &status, 0) } == 0 && isDirectory(status)
    }

    /// A folder's entries (without `.` and `..`), each name from its bytes
    /// (``RawPath/string(_:)``: lossless, whatever the encoding). Nil when the
    /// folder cannot be opened.
    static func listFolder(_ folder: String) -> [String]? {
        guard let directory = RawPath.withCString(folder, { opendir($0) }) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if bytes == Array(".".utf8) || bytes == Array("..".utf8) { continue }
            names.append(RawPath.string(bytes))
        }
        return names
    }

    private static func isDirectory(_ status: stat) -> Bool { status.st_mode & S_IFMT == S_IFDIR }
    private static func isRegularFile(_ status: stat) -> Bool { status.st_mode & S_IFMT == S_IFREG }
}
