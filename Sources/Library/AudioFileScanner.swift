import Foundation

/// Finds the audio files under a set of paths.
///
/// Files named directly are taken as they are, whatever their extension, so
/// that a wrongly named file still gets a clear decoding error. Folders are
/// walked recursively for names with an extension libsndfile reads, skipping
/// hidden files and folders. Problems (a missing path, an unreadable folder)
/// are returned alongside the files rather than stopping the scan.
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

    /// The files found and the problems met, files sorted by path.
    public static func scan(_ paths: [String]) -> (files: [String], problems: [Problem]) {
        var files: [String] = []
        var problems: [Problem] = []
        var seen = Set<String>()
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(Problem(path: path, reason: "no such file or folder"))
                continue
            }
            if !isDirectory.boolValue {
                if seen.insert(path).inserted { files.append(path) }
                continue
            }
            let root = URL(fileURLWithPath: path)
            let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey]
            var folderProblems: [Problem] = []
            guard let walker = manager.enumerator(
                at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles],
                errorHandler: { url, error in
                    folderProblems.append(Problem(path: url.path, reason: Self.reason(error)))
                    return true
                })
            else {
                problems.append(Problem(path: path, reason: "cannot read folder"))
                continue
            }
            var found: [String] = []
            for case let url as URL in walker {
                guard audioExtensions.contains(url.pathExtension.lowercased()) else { continue }
                let values = try? url.resourceValues(forKeys: Set(keys))
                guard values?.isRegularFile == true else { continue }
                found.append(Self.spelledLike(path, root: root, file: url))
            }
            for file in found.sorted() where seen.insert(file).inserted { files.append(file) }
            problems += folderProblems
        }
        return (files, problems)
    }

    /// `file`'s path written under the folder as the user named it
    /// (`Music/a.flac`, not `/home/me/Music/a.flac`, when given `Music`).
    private static func spelledLike(_ userPath: String, root: URL, file: URL) -> String {
        let rootPath = root.standardizedFileURL.path
        let filePath = file.standardizedFileURL.path
        guard filePath.hasPrefix(rootPath + "/") else { return file.path }
        let relative = filePath.dropFirst(rootPath.count + 1)
        return userPath.hasSuffix("/") ? userPath + relative : userPath + "/" + relative
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain && nsError.code == NSFileReadNoPermissionError {
            return "permission denied"
        }
        return nsError.localizedDescription
    }
}
