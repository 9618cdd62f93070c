// libFuzzer target `cache`: bytes as a cache record's `record` column -> the
// record decoder and its check, as FeatureCache.loadAll reads them. The checks
// live in Tests/LibraryTests/CacheRecordFuzzChecks.swift, which scripts/fuzz
// compiles with this file.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        try CacheRecordFuzzChecks.check(Array(UnsafeBufferPointer(start: data, count: size)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
