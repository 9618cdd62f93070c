import FilePaths
import XCTest

/// Paths that are not UTF-8 survive the trip through `String` byte for byte.
final class RawPathTests: XCTestCase {
    func testUTF8NamesAreTheirOwnText() {
        for name in ["Café.flac", "ünï 🎵/x.m4a", "", "/a/b"] {
            XCTAssertEqual(RawPath.string(Array(name.utf8)), name)
            XCTAssertEqual(RawPath.bytes(name), Array(name.utf8))
            XCTAssertTrue(RawPath.isText(name))
            XCTAssertEqual(RawPath.display(name), name)
        }
    }

    func testLatin1BytesRoundTripAndDisplayAsEscapes() {
        let bytes = Array("caf".utf8) + [0xE9] + Array(".flac".utf8)
        let path = RawPath.string(bytes)
        XCTAssertFalse(RawPath.isText(path))
        XCTAssertEqual(RawPath.bytes(path), bytes)
        XCTAssertEqual(RawPath.display(path), "caf\\xE9.flac")
        XCTAssertEqual(RawPath.percentEncoded(path), "caf%E9.flac")
        // A truncated multi-byte sequence, then a valid one.
        let mixed: [UInt8] = [0xE2, 0x82] + Array("€".utf8)
        XCTAssertEqual(RawPath.display(RawPath.string(mixed)), "\\xE2\\x82€")
        XCTAssertEqual(RawPath.bytes(RawPath.string(mixed)), mixed)
    }

    func testEveryByteStringRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        // The escape scalars' own UTF-8 (U+10FE00...U+10FEFF) must not be mistaken for escapes.
        let escapeScalarBytes = Array(String(Unicode.Scalar(0x10FEE9)!).utf8)
        XCTAssertEqual(RawPath.bytes(RawPath.string(escapeScalarBytes)), escapeScalarBytes)
        XCTAssertFalse(RawPath.isText(RawPath.string(escapeScalarBytes)))
        for _ in 0..<2000 {
            let count = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 1...255, using: &generator) }
            XCTAssertEqual(RawPath.bytes(RawPath.string(bytes)), bytes, "\(bytes)")
        }
        // Distinct byte strings stay distinct.
        XCTAssertNotEqual(RawPath.string([0xE9]), RawPath.string(Array("é".utf8)))
    }

    func testWithCStringPassesTheBytes() {
        let bytes: [UInt8] = [0x2F, 0x74, 0xFF, 0x2E, 0x77, 0x76]
        let passed = RawPath.withCString(RawPath.string(bytes)) { pointer in
            Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                      count: strlen(pointer)))
        }
        XCTAssertEqual(passed, bytes)
    }

    func testPercentEncodingKeepsUnreservedAndSlash() {
        XCTAssertEqual(RawPath.percentEncoded("/m/A b#1?.flac"), "/m/A%20b%231%3F.flac")
        XCTAssertEqual(RawPath.percentEncoded("/é"), "/%C3%A9")
    }
}
