/// The folder part of a path as written, without asking the file system.
///
/// `NSString.deletingLastPathComponent` in the Linux Foundation traps on a one-character path such as `P` or
/// `P/` (checked with Swift 6.3 here), so `songatlas playlists Music --out P` stopped with an illegal instruction
/// before writing anything. Every path SongAtlas splits goes through this instead.
public enum ParentFolder {
    /// The folder holding `path`, as `NSString.deletingLastPathComponent` would give it where it works: `a/b` → `a`,
    /// `a/b/` → `a`, `/a` → `/`, `/` → `/`, and `""` for a bare name (`P`, `P/`) or an empty path. Runs of slashes
    /// between the folder and the name are dropped (`a//b` → `a`).
    public static func of(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        guard let slash = text.lastIndex(of: "/") else { return "" }
        var folder = text[..<slash]
        while folder.hasSuffix("/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// ``of(_:)``, with `.` for a bare name, for a path that is opened or listed relative to the current folder.
    public static func orCurrent(_ path: String) -> String {
        let folder = of(path)
        return folder.isEmpty ? "." : folder
    }
}
