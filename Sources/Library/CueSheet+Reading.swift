import FilePaths
import Foundation

extension CueSheet {
    /// Reads the `.cue` file at `path`: its text (``CueSheetText``), its lines
    /// and their order, and the files its audio tracks lie in
    /// (``CueSheetFileResolver``, relative to the sheet's folder).
    ///
    /// - Parameter path: the sheet; read, never written.
    /// - Throws: ``CueSheetError`` naming `path` and the first fault: unreadable,
    ///   too large, binary, malformed or out of order, or naming a missing file.
    public static func read(path: String) throws(CueSheetError) -> CueSheet {
        let bytes = try readBytes(path: path)
        return try parse(bytes: bytes, sheetPath: path).resolvingFiles()
    }

    /// The sheet an audio file embeds in its `CUESHEET` tag (see
    /// `AudioTags.embeddedCueSheet(path:)`). Its `FILE` line names the file
    /// as it was when the sheet was made; whatever it says, the tracks lie in
    /// `audioPath`, so the sheet's audio tracks must lie in one `FILE`.
    ///
    /// - Throws: ``CueSheetError`` naming `audioPath` and the fault.
    public static func embedded(text: String, audioPath: String) throws(CueSheetError) -> CueSheet {
        var sheet = try parse(text: text, sheetPath: audioPath, encoding: .utf8, isEmbedded: true)
        let used = Set(sheet.tracks.filter(\.isAudio).compactMap { $0.start?.file })
        guard used.count == 1 else {
            throw CueSheetError(sheet: audioPath, fault: .embeddedSheetNamesSeveralFiles(count: used.count))
        }
        for file in used { sheet.files[file].path = audioPath }
        return sheet
    }

    /// The sheet with ``File/path`` set for every file an audio track's
    /// `INDEX 01` lies in; other files (data tracks, pregaps only) are not looked for.
    ///
    /// - Throws: ``CueSheetError`` with the `FILE` line of the first name that is missing or ambiguous.
    public func resolvingFiles() throws(CueSheetError) -> CueSheet {
        var sheet = self
        let folder = ParentFolder.of(sheetPath)
        let used = Set(tracks.filter(\.isAudio).compactMap { $0.start?.file })
        for file in used.sorted() {
            do {
                sheet.files[file].path = try CueSheetFileResolver.resolve(name: files[file].name,
                                                                          sheetFolder: folder.isEmpty ? "." : folder)
            } catch {
                throw CueSheetError(sheet: sheetPath, line: files[file].line, fault: error)
            }
        }
        return sheet
    }

    /// At most ``byteLimit`` bytes of a regular file, opened through the path's own bytes.
    static func readBytes(path: String) throws(CueSheetError) -> [UInt8] {
        func fail(_ reason: String) -> CueSheetError { CueSheetError(sheet: path, fault: .unreadable(reason: reason)) }
        let descriptor = RawPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard descriptor >= 0 else { throw fail(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw fail(String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw fail("not a regular file") }
        guard status.st_size <= byteLimit else {
            throw CueSheetError(sheet: path, fault: .tooLarge(byteCount: Int(status.st_size), limit: byteLimit))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        // Read to the end, not to st_size: a file that grew since fstat is still bounded by byteLimit.
        while bytes.count <= byteLimit {
            let read = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if read < 0 {
                if errno == EINTR { continue }
                throw fail(String(cString: strerror(errno)))
            }
            if read == 0 { break }
            bytes += chunk[..<read]
        }
        let count = bytes.count
        guard count <= byteLimit else { throw CueSheetError(sheet: path, fault: .tooLarge(byteCount: count, limit: byteLimit)) }
        return bytes
    }
}
