// libFuzzer target: bytes -> file -> decode (libsndfile or FFmpeg) -> features -> summary.
// Built by scripts/fuzz (not by `swift build`): see that script.
import AudioDecoding
import Features
import Foundation

private let extractor = FeatureExtractor()
// The scratch file's extension picks the decoder path: ".bin" (the default)
// goes to libsndfile first and to FFmpeg when libsndfile refuses the bytes;
// SONGATLAS_FUZZ_EXTENSION=m4a (scripts/fuzz ffmpeg) sends every input
// straight to FFmpeg, as a folder's .m4a, .wma or .wv files are.
private let fileExtension = ProcessInfo.processInfo.environment["SONGATLAS_FUZZ_EXTENSION"] ?? "bin"
private let scratch = NSTemporaryDirectory() + "songatlas-fuzz-\(getpid()).\(fileExtension)"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard FileManager.default.createFile(atPath: scratch, contents: bytes) else { return 0 }
    // Any error is fine; a crash, a hang or a non-finite feature is not.
    if let features = try? extractor.summarize(path: scratch, decodeOptions: DecodeOptions(excerptSeconds: 30)) {
        precondition(features.summary.values.allSatisfy(\.isFinite), "non-finite feature from \(size) bytes")
    }
    return 0
}
