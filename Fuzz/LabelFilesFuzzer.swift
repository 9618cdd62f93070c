// libFuzzer target `labels`: bytes -> the readers of files a user hands
// SongAtlas (segmentation/label files, reference CSVs, playlists.json) and
// `evaluate segments` on what they return. The checks live in
// Tests/SongAtlasTests/LabelFileFuzzChecks.swift, which scripts/fuzz compiles
// with this file.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        try LabelFileFuzzChecks.check(Array(UnsafeBufferPointer(start: data, count: size)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
