@testable import Library
import XCTest

/// The encoding rule of ``CueSheetText``: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252, Latin-1.
final class CueSheetTextTests: XCTestCase {
    func testPlainUTF8AndUTF8WithBOM() throws {
        let text = "TITLE \"Café – Ñandú\"\n"
        let plain = try XCTUnwrap(CueSheetText.decode(Array(text.utf8)))
        XCTAssertEqual(plain.text, text)
        XCTAssertEqual(plain.encoding, .utf8)
        let marked = try XCTUnwrap(CueSheetText.decode([0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        XCTAssertEqual(marked.text, text, "the byte order mark is dropped")
        XCTAssertEqual(marked.encoding, .utf8WithBOM)
    }

    func testWindows1252WhenNotUTF8() throws {
        // 0x93/0x94 are curly quotes and 0x80 the euro sign in Windows-1252; 0xE9 is é in both 1252 and Latin-1.
        let bytes: [UInt8] = Array("TITLE \"".utf8) + [0x93, 0x43, 0x61, 0x66, 0xE9, 0x94, 0x20, 0x80] + Array("\"\r\n".utf8)
        let decoded = try XCTUnwrap(CueSheetText.decode(bytes))
        XCTAssertEqual(decoded.encoding, .windows1252)
        XCTAssertEqual(decoded.text, "TITLE \"\u{201C}Café\u{201D} \u{20AC}\"\r\n")
    }

    func testLatin1WhenAByteIsUndefinedInWindows1252() throws {
        let bytes: [UInt8] = Array("TITLE Caf".utf8) + [0xE9, 0x81]
        let decoded = try XCTUnwrap(CueSheetText.decode(bytes))
        XCTAssertEqual(decoded.encoding, .latin1)
        XCTAssertEqual(decoded.text.unicodeScalars.map(\.value), bytes.map(UInt32.init), "Latin-1 maps each byte to its code point")
    }

    func testUTF16WithByteOrderMark() throws {
        let text = "TITLE \"Ünïcode\"\r\n"
        let little: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        XCTAssertEqual(CueSheetText.decode(little)?.text, text)
        XCTAssertEqual(CueSheetText.decode(little)?.encoding, .utf16LittleEndian)
        XCTAssertEqual(CueSheetText.decode(big)?.text, text)
        XCTAssertEqual(CueSheetText.decode(big)?.encoding, .utf16BigEndian)
    }

    func testBinaryIsNotText() {
        XCTAssertNil(CueSheetText.decode([0x66, 0x4C, 0x61, 0x43, 0x00, 0x00, 0x00, 0x22]), "a FLAC header")
        XCTAssertNil(CueSheetText.decode(Array("FILE \"a.wav\" WAVE\u{1}\n".utf8)), "a C0 control")
        XCTAssertNotNil(CueSheetText.decode(Array("REM\tx\u{0C}\r\n\u{1A}".utf8)), "tab, form feed, CR LF and DOS EOF are text")
    }
}
