import Foundation

/// The names of the files `segment PATH... --out DIR` writes for each track: its file name with the
/// format's extension (`Song.flac` → `Song.txt`), made unique across the run.
///
/// The rule, so that two tracks never write one file:
/// 1. A track's base name is its file name without the extension (`Song`).
/// 2. When two or more tracks of the run share a base name (compared without regard to case,
///    since many file systems ignore it), or a base name is that of the run's own file
///    (`sections`), each of those tracks is named by its parent folders too, nearest first
///    joined by ` - ` (`Album A - Song`, `Album B - Song`), adding folders until the names differ.
/// 3. Names still equal after every folder (paths that differ only in case) get ` 2`, ` 3`, … in
///    the order of the run, the first keeping its name.
///
/// The same tracks always get the same names, whatever order the threads finish in.
public enum SegmentOutputNames {
    /// The name of the file that describes the whole run.
    public static let runFileName = "sections.json"

    /// The base name (no extension) of each song's files, in the order of `songs`: as
    /// ``baseNames(_:)``, where track N of a cue sheet inside a file is named as if it were a
    /// file `<stem> - NN` beside it (`Album.flac` track 3 → `Album - 03`).
    ///
    /// - Parameter songs: each song's audio file and cue track number (nil for a whole file), each once.
    public static func baseNames(_ songs: [(path: String, track: Int?)]) -> [String] {
        baseNames(songs.map { song in
            guard let track = song.track else { return song.path }
            let stem = (song.path as NSString).deletingPathExtension
            return stem + " - " + (track < 10 ? "0" : "") + "\(track)." + (song.path as NSString).pathExtension
        })
    }

    /// The base name (no extension) of each track's files, in the order of `paths`.
    ///
    /// - Parameter paths: the tracks of the run, each once.
    /// - Returns: one base name per path, no two equal without regard to case, none equal to `sections`.
    public static func baseNames(_ paths: [String]) -> [String] {
        let components = paths.map { path -> [String] in
            let url = URL(fileURLWithPath: path).standardizedFileURL
            let parts = url.pathComponents.filter { $0 != "/" }
            guard let last = parts.last else { return [path] }
            return parts.dropLast().reversed() + [(last as NSString).deletingPathExtension]
        }
        // Name of each path with `depth` folders in front (reversed components: folders nearest first).
        func name(_ index: Int, depth: Int) -> String {
            let parts = components[index]
            let stem = parts.last ?? ""
            let folders = parts.dropLast().prefix(depth)
            return (folders.reversed() + [stem]).joined(separator: " - ")
        }
        let reserved = (runFileName as NSString).deletingPathExtension.lowercased()
        var depths = [Int](repeating: 0, count: paths.count)
        // Deepen every name that collides until none does or no folder is left to add.
        while true {
            var groups: [String: [Int]] = [:]
            for index in paths.indices { groups[name(index, depth: depths[index]).lowercased(), default: []].append(index) }
            var deepened = false
            for (key, members) in groups where members.count > 1 || key == reserved {
                for index in members where depths[index] < components[index].count - 1 {
                    depths[index] += 1
                    deepened = true
                }
            }
            if !deepened { break }
        }
        var names = paths.indices.map { name($0, depth: depths[$0]) }
        var used: Set<String> = [reserved]
        for index in names.indices {
            var candidate = names[index]
            var number = 2
            while used.contains(candidate.lowercased()) {
                candidate = "\(names[index]) \(number)"
                number += 1
            }
            used.insert(candidate.lowercased())
            names[index] = candidate
        }
        return names
    }
}
