import Foundation

/// Finds the audio files under a set of paths.
///
/// Files named directly are taken whatever their extension, so that a
/// wrongly named file still gets a clear decoding error. Folders are walked
/// recursively, in name order, for names with an extension libsndfile reads.
/// Hidden files and folders (names starting with a dot) are skipped. Symbolic
/// links are followed, but a folder already visited is not entered again, so
/// a link loop ends; a file reached twice is listed once. Problems (a missing
/// path, an unreadable folder, a broken link, a FIFO) are returned alongside
/// the files rather than stopping the scan.
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
                walker.result.problems.append(Problem(path: path, reason: "no such file or folder"))
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
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder)
            } catch {
                let reason = access(folder, R_OK | X_OK) == 0 ? "cannot read folder" : "permission denied"
                result.problems.append(Problem(path: folder, reason: reason))
                return
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                guard let entry = self.status(path) else {
                    result.problems.append(Problem(path: path, reason: "broken symbolic link"))
                    continue
                }
                if isDirectory(entry) {
                    walk(path, status: entry)
                } else if audioExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    if isRegularFile(entry) {
                        add(path, status: entry)
                    } else {
                        result.problems.append(Problem(path: path, reason: "not a regular file"))
                    }
                }
            }
        }
    }

    private static func isDirectory(_ status: stat) -> Bool { status.st_mode & S_IFMT == S_IFDIR }
    private static func isRegularFile(_ status: stat) -> Bool { status.st_mode & S_IFMT == S_IFREG }
}
