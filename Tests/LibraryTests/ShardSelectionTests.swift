import FilePaths
@testable import Library
import XCTest

/// `analyze --shard I/N`: a hash fixed by its definition, relative paths, and a partition of the library.
final class ShardSelectionTests: XCTestCase {
    /// FNV-1a 64 reference values, computed independently with Python:
    /// `python3 -c "h=0xcbf29ce484222325
    /// for x in b'foobar': h=((h^x)*0x100000001b3)&0xFFFFFFFFFFFFFFFF
    /// print(hex(h))"` (and likewise for the other inputs). "a" and "foobar" are also
    /// FNV-1a 64 test vectors of draft-eastlake-fnv.
    func testTheHashIsFNV1a64() {
        XCTAssertEqual(ShardSelection.fnv1a64([UInt8]()), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(ShardSelection.fnv1a64(Array("a".utf8)), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(ShardSelection.fnv1a64(Array("foobar".utf8)), 0x8594_4171_f739_67e8)
        XCTAssertEqual(ShardSelection.fnv1a64(Array("Jazz/Café – So What.flac".utf8)), 0x0b76_5afb_ead6_901e)
        XCTAssertEqual(ShardSelection.fnv1a64(Array("ambient-01.flac".utf8)), 0xf628_fbb4_842f_1c47)
    }

    /// The shard is hash mod N + 1 (Python: `fnv(b) % 3 + 1`, `fnv(b) % 10000 + 1`), over the bytes
    /// of the path: a Latin-1 name (``RawPath``) hashes as its own bytes, b'Caf\xe9.flac'.
    func testTheShardOfARelativePathIsFixed() {
        XCTAssertEqual(ShardSelection.shard(ofRelativePath: "ambient-01.flac", count: 3), 3)
        XCTAssertEqual(ShardSelection.shard(ofRelativePath: "ambient-01.flac", count: 10_000), 3496)
        XCTAssertEqual(ShardSelection.shard(ofRelativePath: "foobar", count: 3), 1)
        XCTAssertEqual(ShardSelection.shard(ofRelativePath: "a", count: 10_000), 1997)
        let latin1 = RawPath.string([0x43, 0x61, 0x66, 0xE9] + Array(".flac".utf8))
        XCTAssertEqual(ShardSelection.fnv1a64(RawPath.bytes(latin1)), 0xdf24_2f7e_76e0_8024)
        XCTAssertEqual(ShardSelection.shard(ofRelativePath: latin1, count: 10_000), 2469)
        XCTAssertEqual(ShardSelection.shard(ofRelativePath: "anything", count: 1), 1)
    }

    func testEveryFileIsInExactlyOneShard() throws {
        let files = (0..<600).map { "/music/artist \($0 % 17)/album \($0 % 5)/track \($0).flac" }
        for count in [1, 2, 3, 7, 64] {
            let shards = try (1...count).map { try ShardSelection(index: $0, count: count) }
            var seen: [String: Int] = [:]
            var total = 0
            for shard in shards {
                let (kept, tally) = shard.select(files: files, roots: ["/music"])
                XCTAssertEqual(tally.totalFiles, files.count)
                XCTAssertEqual(tally.selectedFiles, kept.count)
                total += kept.count
                for file in kept { seen[file, default: 0] += 1 }
            }
            XCTAssertEqual(total, files.count, "N=\(count)")
            XCTAssertEqual(Set(seen.keys), Set(files), "N=\(count)")
            XCTAssertTrue(seen.values.allSatisfy { $0 == 1 }, "N=\(count)")
            if count == 3 {
                // Not all in one shard: the hash spreads them (600 files, three shards).
                let sizes = shards.map { $0.select(files: files, roots: ["/music"]).files.count }
                XCTAssertTrue(sizes.allSatisfy { $0 > 100 }, "\(sizes)")
            }
        }
    }

    func testTheShardDependsOnThePathRelativeToItsRootOnly() throws {
        let shard = try ShardSelection(index: 2, count: 5)
        for name in ["a.flac", "Jazz/b.flac", "Rock/Live/c.mp3", "d e f.ogg"] {
            let here = shard.contains("/mnt/music/" + name, roots: ["/mnt/music"])
            XCTAssertEqual(shard.contains("/srv/nas/Music/" + name, roots: ["/srv/nas/Music/"]), here, name)
            XCTAssertEqual(shard.contains("/srv/x/../nas/Music//" + name, roots: ["/srv/nas/Music"]), here, name)
        }
        XCTAssertEqual(ShardSelection.relativePath(of: "/mnt/music/Jazz/a.flac", roots: ["/mnt/music"]), "Jazz/a.flac")
        XCTAssertEqual(ShardSelection.relativePath(of: "/mnt/music/Jazz/a.flac", roots: ["/mnt/other", "/mnt/music"]),
                       "Jazz/a.flac")
        XCTAssertEqual(ShardSelection.relativePath(of: "/mnt/music/Jazz/a.flac", roots: ["/mnt/music/Jazz", "/mnt/music"]),
                       "a.flac")
        XCTAssertEqual(ShardSelection.relativePath(of: "/mnt/musicx/a.flac", roots: ["/mnt/music", "/mnt"]), "musicx/a.flac")
        XCTAssertEqual(ShardSelection.relativePath(of: "/mnt/music/a.flac", roots: ["/mnt/music/a.flac"]), "a.flac")
        XCTAssertEqual(ShardSelection.relativePath(of: "/a.flac", roots: ["/"]), "a.flac")
    }

    func testCueTracksGoWithTheirFile() throws {
        let track = { (number: Int) in
            CueSheetTrack(audioPath: "/m/album.flac", sheetPath: "/m/album.cue", isEmbedded: false, trackNumber: number,
                          startSample: number * 100, endSample: number * 100 + 100, sampleRate: 44100)
        }
        let songs = (1...4).map { ScannedSong(path: "/m/album.flac", cueTrack: track($0)) }
            + (0..<40).map { ScannedSong(path: "/m/song\($0).wav") }
        var albumShards = 0
        for index in 1...3 {
            let (kept, tally) = try ShardSelection(index: index, count: 3).select(songs, roots: ["/m"])
            XCTAssertEqual(tally.totalFiles, 41)
            let albumTracks = kept.filter { $0.path == "/m/album.flac" }.count
            XCTAssertTrue(albumTracks == 0 || albumTracks == 4, "\(albumTracks)")
            if albumTracks == 4 {
                albumShards += 1
                XCTAssertEqual(tally.selectedFiles, kept.count - 3)
            }
        }
        XCTAssertEqual(albumShards, 1)
    }

    func testBadShardsAreRefusedNamingTheValue() {
        func message(_ text: String) -> String? {
            do { _ = try ShardSelection(parsing: text); return nil } catch { return error.description }
        }
        XCTAssertNil(message("1/1"))
        XCTAssertNil(message("10000/10000"))
        XCTAssertEqual(message("0/3"), "--shard 0/3: the shard I must be between 1 and N (3); shards count from 1")
        XCTAssertEqual(message("4/3"), "--shard 4/3: the shard I must be between 1 and N (3); shards count from 1")
        XCTAssertEqual(message("1/0"), "--shard 1/0: the shard count N must be between 1 and 10000")
        XCTAssertEqual(message("1/10001"), "--shard 1/10001: the shard count N must be between 1 and 10000")
        XCTAssertEqual(message("2"), "--shard '2' is not I/N (two whole numbers, such as 2/8)")
        XCTAssertEqual(message("a/b"), "--shard 'a/b' is not I/N (two whole numbers, such as 2/8)")
        XCTAssertEqual(message("1/2/3"), "--shard '1/2/3' is not I/N (two whole numbers, such as 2/8)")
    }
}
