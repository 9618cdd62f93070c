import Foundation

/// Why an output could not be written. In every case the destination is as it was.
public enum OutputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path names a folder where a file was expected.
    case isFolder(path: String)
    /// The path names something SongAtlas does not write to (a block device, a socket, a folder
    /// where a regular file is needed).
    case unsupportedDestination(path: String, kind: String)
    /// The location cannot be written: permissions, a read-only file system, a file in the way.
    case notWritable(path: String, reason: String)
    /// Writing failed part-way (a full disk, an I/O error); the temporary file was removed.
    case writeFailed(path: String, reason: String)
    /// Renaming a set into place failed after some of its files were already replaced.
    case partiallyWritten(path: String, replaced: [String], reason: String)
    /// A chain of symbolic links that loops or is longer than 40 links.
    case symlinkLoop(path: String)
    /// A file SongAtlas did not write (or changed since it wrote it) is where an output would go.
    case foreignFile(path: String)
    /// An existing file that holds audio (by its content) is where an output would go.
    case audioFile(path: String)
    /// The file at the path has no write permission for anyone; it is not replaced, even by root.
    case readOnly(path: String)
    /// Two outputs of one run would go to the same file.
    case sameDestination(path: String)
    /// The run was asked to stop (Ctrl-C, SIGTERM) before the outputs were in place.
    case interrupted

    public var description: String {
        switch self {
        case let .isFolder(path): return "\(path): is a folder, not a file"
        case let .unsupportedDestination(path, kind): return "\(path): is \(kind); SongAtlas does not write there"
        case let .notWritable(path, reason): return "\(path): cannot be written (\(reason))"
        case let .writeFailed(path, reason): return "\(path): writing failed (\(reason)); nothing there was changed"
        case let .partiallyWritten(path, replaced, reason):
            return "\(path): writing failed (\(reason)) after \(replaced.joined(separator: ", ")) had been replaced"
        case let .symlinkLoop(path): return "\(path): too many symbolic links (a loop?)"
        case let .foreignFile(path):
            return "\(path): is not a file SongAtlas wrote (or it was changed since); it is left as it is"
        case let .audioFile(path):
            return "\(path): is an audio file; SongAtlas never writes over music. Choose another output path."
        case let .readOnly(path):
            return "\(path): is read-only (no one has write permission); SongAtlas does not replace it, "
                + "even as root. Make it writable (chmod u+w) to let it be replaced."
        case let .sameDestination(path): return "\(path): is given for two outputs of one run; give each its own path"
        case .interrupted: return "interrupted before the outputs were written"
        }
    }

    /// The C library's message for `code`.
    static func message(_ code: Int32) -> String { String(cString: strerror(code)) }
}
