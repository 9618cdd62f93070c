import AudioDecoding
import XCTest

/// The ``DecodingError`` a whole decode of `path` throws, or nil when it
/// decodes; any other error fails the test.
public func decodingError(_ path: String, options: DecodeOptions = DecodeOptions(),
                          file: StaticString = #filePath, line: UInt = #line) -> DecodingError? {
    do {
        _ = try AudioDecoder(path: path, options: options).decodeAll()
        return nil
    } catch let error as DecodingError {
        return error
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return nil
    }
}
