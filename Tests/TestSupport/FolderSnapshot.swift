import Foundation

/// Every entry under a folder with its kind and contents, to show that a run changed nothing there.
public struct FolderSnapshot: Equatable, CustomStringConvertible {
    /// Relative path -> "file:<bytes hash>:<size>", "link:<target>", "folder", or another kind.
    public let entries: [String: String]

    /// Reads `folder` recursively, without following symbolic links.
    public init(_ folder: String) throws {
        var entries: [String: String] = [:]
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: folder) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        while let relative = enumerator.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(relative)
            var status = stat()
            guard lstat(path, &status) == 0 else { entries[relative] = "gone"; continue }
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                let data = manager.contents(atPath: path) ?? Data()
                entries[relative] = "file:\(Self.fingerprint(data)):\(data.count):\(status.st_mode & 0o7777)"
            case S_IFLNK: entries[relative] = "link:" + ((try? manager.destinationOfSymbolicLink(atPath: path)) ?? "?")
            case S_IFDIR: entries[relative] = "folder"
            case S_IFIFO: entries[relative] = "fifo"
            default: entries[relative] = "other:\(status.st_mode & S_IFMT)"
            }
        }
        self.entries = entries
    }

    /// FNV-1a over every byte (not cryptographic; enough to see a change).
    static func fingerprint(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    public var description: String {
        entries.keys.sorted().map { "\($0) \(entries[$0]!)" }.joined(separator: "\n")
    }
}

/// A small tmpfs mounted for one test (root only), to fill a disk or make a read-only file system.
public final class ScratchFileSystem {
    public let path: String

    /// Mounts a tmpfs of `sizeKilobytes` at a new folder, or returns nil (with the reason) where that is not possible.
    public static func mount(sizeKilobytes: Int, readOnly: Bool = false) -> (ScratchFileSystem?, String) {
        guard getuid() == 0 else { return (nil, "mounting a tmpfs needs root") }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("songatlas-fs-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            return (nil, "cannot make a mount point: \(error)")
        }
        let options = "size=\(sizeKilobytes)k" + (readOnly ? ",ro" : "")
        guard let result = try? CommandRunner.runAbsolute("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", path]),
              result.status == 0 else {
            rmdir(path)
            return (nil, "mount -t tmpfs failed (no privilege to mount here?)")
        }
        return (ScratchFileSystem(path: path), "")
    }

    private init(path: String) { self.path = path }

    /// Fills the file system until fewer than `leaveBytes` remain.
    public func fill(leaveBytes: Int) {
        let filler = (path as NSString).appendingPathComponent("filler")
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return }
        let free = Int(status.f_bavail) * Int(status.f_frsize)
        let size = max(0, free - leaveBytes)
        FileManager.default.createFile(atPath: filler, contents: Data(count: size))
        // tmpfs counts whole pages: top up byte by byte until writes fail.
        if let handle = FileHandle(forWritingAtPath: filler) {
            handle.seekToEndOfFile()
            while (try? handle.write(contentsOf: Data(count: 4096))) != nil {
                var now = statvfs()
                if statvfs(path, &now) == 0 && Int(now.f_bavail) * Int(now.f_frsize) < leaveBytes { break }
            }
            try? handle.close()
        }
    }

    /// Unmounts and removes the mount point.
    public func unmount() {
        _ = try? CommandRunner.runAbsolute("/bin/umount", ["-l", path])
        rmdir(path)
    }
}
