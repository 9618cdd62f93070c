// libFuzzer target: bytes -> a feature matrix -> k-means, quality scores,
// playlist ordering, the SOM and both segmenters. The checks live in
// Tests/ClusteringTests/ClusteringFuzzChecks.swift, which scripts/fuzz
// compiles with this file (not `swift build`: see that script).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        try ClusteringFuzzChecks.check(Array(UnsafeBufferPointer(start: data, count: size)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
