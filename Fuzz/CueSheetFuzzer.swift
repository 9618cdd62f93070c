// libFuzzer target `cue`: bytes as a cue sheet -> the sheet reader (text
// encoding, parsing, order checks, embedded form, track ranges) and the seed
// form. The checks live in Tests/LibraryTests/CueSheetFuzzChecks.swift, which
// scripts/fuzz compiles with this file.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        try CueSheetFuzzChecks.check(Array(UnsafeBufferPointer(start: data, count: size)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
