import AudioDecoding
import FilePaths
import Foundation

/// Finds the file a sheet's `FILE` line names, the way sheets written on
/// Windows expect it to be found.
///
/// The name is taken relative to the sheet's folder, with `\` read as a
/// folder separator when the name as written does not exist. A Windows
/// absolute name (`C:\Rips\album.flac`) or a Unix absolute name that does not
/// exist keeps only its last component, and so does a name with folders
/// that lead nowhere (`\\server\share\album.flac`, `Rips/album.flac`). Each component is matched exactly
/// when such an entry exists, else ignoring case (and Unicode normalisation,
/// for names written on macOS); two entries that match only that way make
/// the name ambiguous. When the named file is missing (a ripper's `.wav`
/// transcoded to FLAC afterwards), the one audio file beside it with the
/// same stem, ignoring case, is taken: `Album.wav` → `album.flac`.
///
/// Nothing is created or changed; folders are only listed.
public enum CueSheetFileResolver {
    /// The path of the file `name` names, for a sheet in `sheetFolder`.
    ///
    /// - Throws: ``CueSheetError/Fault/missingFile(name:)`` or ``CueSheetError/Fault/ambiguousFile(name:candidates:)``.
    public static func resolve(name: String, sheetFolder: String) throws(CueSheetError.Fault) -> String {
        var components = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var folder = sheetFolder
        if name.hasPrefix("/") {
            if isRegularFile(name) { return name }
            components = Array(components.suffix(1))
        }
        if components.count == 1, name.contains("\\"), !isRegularFile(folder + "/" + name) {
            components = name.split(separator: "\\", omittingEmptySubsequences: true).map(String.init)
            if let first = components.first, first.count == 2, first.hasSuffix(":") {
                components = Array(components.suffix(1))    // a Windows drive: only the file's own name can help
            }
        }
        components.removeAll { $0 == "." }
        guard let fileName = components.last else { throw .missingFile(name: name) }
        for component in components.dropLast() {
            guard let match = try entry(named: component, in: folder, wholeName: name, wantFolder: true) else {
                // Folders that lead nowhere: the file's own name beside the sheet.
                return try file(named: fileName, wholeName: name, in: sheetFolder)
            }
            folder = folder + "/" + match
        }
        return try file(named: fileName, wholeName: name, in: folder)
    }

    /// The file `fileName` in `folder`: exact, ignoring case, or the only audio file of its stem.
    private static func file(named fileName: String, wholeName name: String, in folder: String) throws(CueSheetError.Fault) -> String {
        if let match = try entry(named: fileName, in: folder, wholeName: name, wantFolder: false) {
            return folder + "/" + match
        }
        let stem = folded((fileName as NSString).deletingPathExtension)
        let sameStem = (list(folder) ?? []).filter { entry in
            AudioFileScanner.hasAudioExtension(entry) && folded((entry as NSString).deletingPathExtension) == stem
                && isRegularFile(folder + "/" + entry)
        }.sorted()
        guard !sameStem.isEmpty else { throw .missingFile(name: name) }
        guard sameStem.count == 1 else { throw .ambiguousFile(name: name, candidates: sameStem.map { folder + "/" + $0 }) }
        return folder + "/" + sameStem[0]
    }

    /// The entry of `folder` that is `name` exactly or, failing that, the only one equal to it ignoring case.
    private static func entry(named name: String, in folder: String, wholeName: String,
                              wantFolder: Bool) throws(CueSheetError.Fault) -> String? {
        func fits(_ entry: String) -> Bool {
            wantFolder ? isFolder(folder + "/" + entry) : isRegularFile(folder + "/" + entry)
        }
        if name != "..", fits(name) { return name }
        if name == ".." { return isFolder(folder + "/..") ? ".." : nil }
        let key = folded(name)
        let matches = (list(folder) ?? []).filter { folded($0) == key && fits($0) }.sorted()
        guard matches.count <= 1 else {
            throw .ambiguousFile(name: wholeName, candidates: matches.map { folder + "/" + $0 })
        }
        return matches.first
    }

    /// A name folded for comparison: lower case, Unicode canonical composition.
    static func folded(_ name: String) -> String {
        name.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// A folder's entries (without `.` and `..`), each from its bytes; nil when it cannot be opened.
    static func list(_ folder: String) -> [String]? {
        guard let directory = RawPath.withCString(folder, { opendir($0) }) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == Array(".".utf8) || bytes == Array("..".utf8) { continue }
            names.append(RawPath.string(bytes))
        }
        return names
    }

    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return RawPath.withCString(path) { stat($0, &status) } == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    static func isFolder(_ path: String) -> Bool {
        var status = stat()
        return RawPath.withCString(path) { stat($0, &status) } == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
