import FilePaths

/// One shard of a library split over several machines: `analyze PATH --shard I/N` analyses only
/// the files whose path relative to PATH hashes to shard I.
///
/// Shards are numbered from 1 (`1/3`, `2/3`, `3/3`), as Slurm job arrays (`--array=1-N`) and
/// `seq 1 N` count. A file belongs to shard `FNV-1a-64(relative path) mod N + 1`, the hash taken
/// over the relative path's bytes (its UTF-8; a name that is not UTF-8, ``RawPath``, by its own
/// bytes). The hash is fixed by its definition (offset basis 0xcbf29ce484222325, prime
/// 0x100000001b3), not Swift's `Hasher`, which is seeded per process: every machine, every run and
/// every mount point of the same music puts a file in the same shard, and the N shards of a library
/// cover every file exactly once. A cue sheet's tracks go with their audio file.
///
/// The relative path of a file is taken from the first PATH (in the order given) it lies under,
/// as `PathKey` spells both (absolute, `.`/`..` resolved, links not followed): under
/// `/mnt/music`, `/mnt/music/Jazz/a.flac` is `Jazz/a.flac`. A file given as a PATH itself is its name.
public struct ShardSelection: Sendable, Hashable, CustomStringConvertible {
    /// The most shards a library may be split into.
    public static let maximumCount = 10_000

    /// The shard kept, from 1 to ``count``.
    public let index: Int
    /// How many shards the library is split into, from 1 to ``maximumCount``.
    public let count: Int

    /// Shard `index` of `count`.
    ///
    /// - Parameters:
    ///   - index: the shard kept, 1 ≤ index ≤ count.
    ///   - count: the number of shards, 1 ≤ count ≤ ``maximumCount``.
    /// - Throws: ``ShardSelectionError`` naming the value out of range.
    public init(index: Int, count: Int) throws(ShardSelectionError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw ShardSelectionError("\(index)/\(count): the shard count N must be between 1 and \(Self.maximumCount)")
        }
        guard (1...count).contains(index) else {
            throw ShardSelectionError("\(index)/\(count): the shard I must be between 1 and N (\(count)); shards count from 1")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (`2/8`).
    ///
    /// - Throws: ``ShardSelectionError`` for text that is not two whole numbers around one `/`, or out of range.
    public init(parsing text: String) throws(ShardSelectionError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardSelectionError("'\(text)' is not I/N (two whole numbers, such as 2/8)")
        }
        try self.init(index: index, count: count)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// FNV-1a, 64 bits, of `bytes` (Fowler–Noll–Vo, as in draft-eastlake-fnv).
    ///
    /// - Complexity: O(n).
    public static func fnv1a64<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The shard (1 to `count`) of the file whose path relative to its PATH is `relativePath`.
    public static func shard(ofRelativePath relativePath: String, count: Int) -> Int {
        Int(fnv1a64(RawPath.bytes(relativePath)) % UInt64(max(count, 1))) + 1
    }

    /// The path of `file` relative to the first of `roots` it lies under (see the type's notes);
    /// its absolute key when it lies under none of them.
    public static func relativePath(of file: String, roots: [String]) -> String {
        let fileKey = PathKey.of(file)
        for root in roots {
            let rootKey = PathKey.of(root)
            if fileKey == rootKey {
                return fileKey.split(separator: "/").last.map(String.init) ?? fileKey
            }
            let prefix = rootKey == "/" ? "/" : rootKey + "/"
            if fileKey.hasPrefix(prefix) { return String(fileKey.dropFirst(prefix.count)) }
        }
        return fileKey
    }

    /// Whether `file`, found under one of `roots`, is in this shard.
    public func contains(_ file: String, roots: [String]) -> Bool {
        Self.shard(ofRelativePath: Self.relativePath(of: file, roots: roots), count: count) == index
    }

    /// The songs of this shard, in their order; a cue track goes with its file.
    ///
    /// - Returns: the songs kept, and how many distinct files were kept out of how many.
    public func select(_ songs: [ScannedSong], roots: [String]) -> (songs: [ScannedSong], tally: ShardTally) {
        var verdicts: [String: Bool] = [:]
        let kept = songs.filter { song in
            if let verdict = verdicts[song.path] { return verdict }
            let verdict = contains(song.path, roots: roots)
            verdicts[song.path] = verdict
            return verdict
        }
        return (kept, ShardTally(shard: self, selectedFiles: verdicts.values.count { $0 }, totalFiles: verdicts.count))
    }

    /// The files of this shard, in their order.
    public func select(files: [String], roots: [String]) -> (files: [String], tally: ShardTally) {
        let kept = files.filter { contains($0, roots: roots) }
        return (kept, ShardTally(shard: self, selectedFiles: Set(kept).count, totalFiles: Set(files).count))
    }
}

/// How many of the files found one shard kept.
public struct ShardTally: Sendable, Equatable, CustomStringConvertible {
    public var shard: ShardSelection
    /// Distinct files kept (a file of several cue tracks counts once).
    public var selectedFiles: Int
    /// Distinct files found under the PATHs.
    public var totalFiles: Int

    public init(shard: ShardSelection, selectedFiles: Int, totalFiles: Int) {
        self.shard = shard
        self.selectedFiles = selectedFiles
        self.totalFiles = totalFiles
    }

    /// "shard 2/3: 4 of 12 files".
    public var description: String {
        "shard \(shard): \(selectedFiles) of \(totalFiles) file\(totalFiles == 1 ? "" : "s")"
    }
}

/// A `--shard` value that is not `I/N` with 1 ≤ I ≤ N ≤ ``ShardSelection/maximumCount``.
public struct ShardSelectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the value.
    public var detail: String

    public init(_ detail: String) { self.detail = detail }

    public var description: String { "--shard \(detail)" }
}
