import Foundation

extension DuplicateFinder {
    /// Path order as a person reads file names: the kept-copy rule's last step, and the order of a group's copies.
    ///
    /// Paths are compared folder by folder, then by the file's stem (its name without the extension),
    /// then by the extension; a stem that is a prefix of the other comes first, and runs of digits compare
    /// by value ("track 2" before "track 10"). So `dnb-01.flac` comes before `dnb-01 (copy).flac`, where
    /// comparing whole paths byte by byte puts the space (0x20) before the dot (0x2E). Paths equal that
    /// way fall back to byte order, so the order is total.
    ///
    /// - Parameters:
    ///   - first, second: file paths.
    /// - Returns: whether `first` comes before `second`.
    public static func pathPrecedes(_ first: String, _ second: String) -> Bool {
        let (a, b) = (PathName(first), PathName(second))
        for (lhs, rhs) in [(a.folder, b.folder), (a.stem, b.stem), (a.fileExtension, b.fileExtension)] {
            switch readingOrder(lhs, rhs) {
            case .orderedAscending: return true
            case .orderedDescending: return false
            case .orderedSame: continue
            }
        }
        return first < second
    }

    /// Compares two name parts: digit runs by value, the rest character by character; a prefix first.
    private static func readingOrder(_ first: Substring, _ second: Substring) -> ComparisonResult {
        first.compare(second, options: [.numeric])
    }
}

/// A path split into the parts ``DuplicateFinder/pathPrecedes(_:_:)`` compares.
private struct PathName {
    /// Everything up to the last "/", with it (empty for a bare name).
    var folder: Substring
    /// The file name up to its last "." (the whole name when it has none, or when the name starts with it).
    var stem: Substring
    /// The file name after its last ".", or empty.
    var fileExtension: Substring

    init(_ path: String) {
        let nameStart = path.lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex
        folder = path[..<nameStart]
        let name = path[nameStart...]
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = name[..<dot]
            fileExtension = name[name.index(after: dot)...]
        } else {
            stem = name
            fileExtension = ""
        }
    }
}
