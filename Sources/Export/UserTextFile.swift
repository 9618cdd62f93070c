import FilePaths
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file a user hands SongAtlas to read back (a label file, a reference
/// CSV, a `playlists.json`), within bounds.
///
/// Only a regular file of at most ``maximumBytes`` is read. A folder, a FIFO,
/// a device such as `/dev/zero` or `/dev/urandom`, or a socket is refused
/// before a byte is read, and the file is opened non-blocking, so a FIFO put
/// in its place after the check cannot hang the read either. Every refusal is
/// one line naming the file and what it is.
public enum UserTextFile {
    /// The largest file read: 64 MiB, far above any label file or playlists.json
    /// of a real library (a label line takes about 30 bytes).
    public static let maximumBytes = 64 << 20

    /// Why a file was not read; ``description`` is one line starting with the path.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// The bytes of `path`.
    ///
    /// - Parameters:
    ///   - path: the file; an empty string is refused.
    ///   - maximumBytes: the size above which the file is refused; default ``maximumBytes``.
    /// - Throws: ``ReadError`` for an empty path, a missing or unreadable file,
    ///   anything but a regular file, or a file larger than `maximumBytes`.
    public static func data(_ path: String, maximumBytes: Int = maximumBytes) throws -> Data {
        guard !path.isEmpty else { throw ReadError(description: "an empty path is not a file") }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(description: "\(path): \(openProblem(errno))") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ReadError(description: "\(path): cannot read its attributes (\(String(cString: strerror(errno))))")
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else { throw ReadError(description: "\(path): \(kindName(kind)), not a regular file") }
        let size = Int(info.st_size)
        guard size <= maximumBytes else {
            throw ReadError(description: "\(path): \(size) bytes is too large; at most \(maximumBytes) bytes are read")
        }
        // Read to the end, not to the size seen: the file may grow meanwhile; one byte past the limit is enough to tell.
        var bytes = [UInt8](repeating: 0, count: min(size, maximumBytes) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard bytes.count <= maximumBytes else {
                    throw ReadError(description: "\(path): grew past \(maximumBytes) bytes while it was read")
                }
                bytes.append(contentsOf: [UInt8](repeating: 0, count: min(bytes.count, maximumBytes + 1 - bytes.count)))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: "\(path): cannot read (\(String(cString: strerror(errno))))")
            }
            count += got
        }
        return Data(bytes[0..<count])
    }

    /// The text of `path`: ``data(_:maximumBytes:)`` that must be UTF-8 with no NUL byte.
    ///
    /// - Throws: ``ReadError`` as ``data(_:maximumBytes:)`` does, and when the file is binary
    ///   (holds a NUL byte) or is not UTF-8.
    public static func text(_ path: String, maximumBytes: Int = maximumBytes) throws -> String {
        let data = try data(path, maximumBytes: maximumBytes)
        try requireText(data, name: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "\(path): not UTF-8 text")
        }
        return text
    }

    /// Throws when `data` holds a NUL byte, which no text file has.
    ///
    /// - Throws: ``ReadError`` naming `name` and the byte offset of the first NUL.
    public static func requireText(_ data: Data, name: String) throws {
        if let offset = data.firstIndex(of: 0) {
            throw ReadError(description: "\(name): not a text file (a NUL byte at offset \(offset - data.startIndex))")
        }
    }

    /// The longest line the line readers accept, in bytes: far above any label or
    /// path, and small enough that one absurd line is refused before it is parsed.
    public static let maximumLineBytes = 65_536

    /// The lines of `data`, numbered from 1: a line ends at LF, CR LF or a lone CR
    /// (which are not part of it). Invalid UTF-8 is replaced (U+FFFD) unless
    /// `strictUTF8` is set (then it is refused) or `keepingBytes` is set (then each
    /// line keeps its exact bytes, as ``RawPath/string(_:)`` carries them).
    ///
    /// - Throws: ``ReadError`` naming `name` and the line when a line is longer
    ///   than ``maximumLineBytes``, or (with `strictUTF8`) is not UTF-8.
    /// - Complexity: O(bytes), byte by byte; no grapheme breaking over the whole file.
    public static func lines(_ data: Data, name: String, strictUTF8: Bool = false,
                             keepingBytes: Bool = false) throws -> [(number: Int, text: String)] {
        var result: [(number: Int, text: String)] = []
        let bytes = [UInt8](data)
        var start = 0
        var number = 1
        func finish(_ end: Int) throws {
            guard end - start <= maximumLineBytes else {
                throw ReadError(description: "\(name):\(number): the line is longer than \(maximumLineBytes) bytes")
            }
            let slice = bytes[start..<end]
            if keepingBytes {
                result.append((number, RawPath.string(Array(slice))))
            } else if strictUTF8 {
                guard let text = String(bytes: slice, encoding: .utf8) else {
                    throw ReadError(description: "\(name):\(number): not UTF-8 text")
                }
                result.append((number, text))
            } else {
                result.append((number, String(decoding: slice, as: UTF8.self)))
            }
            number += 1
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                try finish(index)
                if byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                start = index + 1
            } else if index - start > maximumLineBytes {
                try finish(index + 1)   // throws: the line is already too long
            }
            index += 1
        }
        if start < bytes.count { try finish(bytes.count) }
        return result
    }

    /// `text`, cut to `limit` characters with an ellipsis, for quoting a line in a message.
    public static func quoted(_ text: some StringProtocol, limit: Int = 80) -> String {
        text.count <= limit ? String(text) : String(text.prefix(limit)) + "…"
    }

    private static func openProblem(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        case ENOTDIR: "a part of the path is not a folder"
        case ELOOP: "too many symbolic links"
        case ENAMETOOLONG: "the path is too long"
        default: "cannot open (\(String(cString: strerror(code))))"
        }
    }

    private static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a file"
        }
    }
}
