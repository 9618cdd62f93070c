import FilePaths
import Foundation

/// Opens audio files for the decoders: one place that turns `open(2)` and
/// `fstat(2)` failures into ``DecodingError``s, so libsndfile and FFmpeg
/// report a missing, unreadable, empty or folder path the same way.
enum AudioFileDescriptor {
    /// Opens `path` read-only and checks that it is a non-empty regular file.
    ///
    /// Opened with `O_NONBLOCK` so that a FIFO cannot hang the open; the flag
    /// is cleared again before the descriptor is returned.
    ///
    /// - Returns: a descriptor the caller owns.
    static func open(path: String) throws(DecodingError) -> Int32 {
        // Through the path's own bytes: a name that is not UTF-8 opens too (RawPath).
        let descriptor = RawPath.withCString(path) { Glibc.open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard descriptor >= 0 else {
            let failure = errno
            var status = stat()
            switch failure {
            case ENAMETOOLONG where RawPath.bytes(path).count >= DecodingError.pathLimitBytes:
                throw .pathTooLong(path: path, limitBytes: DecodingError.pathLimitBytes)
            case EACCES where RawPath.withCString(path, { stat($0, &status) }) == 0 && status.st_mode & S_IFMT == S_IFDIR:
                throw .isDirectory(path: path)
            case EACCES, EPERM:
                throw .permissionDenied(path: path)
            case ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG:     // a name over NAME_MAX (255 bytes) cannot exist
                throw .fileNotFound(path: path)
            default:
                throw .readFailed(path: path, reason: String(cString: strerror(failure)))
            }
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .readFailed(path: path, reason: reason)
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw .isDirectory(path: path)
        }
        // FIFOs, sockets and devices are never read: they may have no end (/dev/urandom).
        if status.st_mode & S_IFMT != S_IFREG {
            close(descriptor)
            let kind: String
            switch status.st_mode & S_IFMT {
            case S_IFIFO: kind = "a FIFO"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFSOCK: kind = "a socket"
            default: kind = "a special file"
            }
            throw .notRegularFile(path: path, kind: kind)
        }
        if status.st_size == 0 {
            close(descriptor)
            throw .emptyFile(path: path)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }
}
