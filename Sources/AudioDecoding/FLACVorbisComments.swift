import FilePaths
import Foundation

/// The Vorbis comments of a FLAC file, read from its metadata blocks without
/// decoding audio (the FLAC format specification, RFC 9639 §8; comments as
/// in the Vorbis I specification §5).
///
/// `fLaC`, then metadata blocks, each a header byte (bit 7: last block;
/// bits 0–6: type, 4 = `VORBIS_COMMENT`) and a 24-bit big-endian length. The
/// comment block holds little-endian 32-bit lengths: the vendor string, the
/// comment count, then each `KEY=value` comment in UTF-8. An ID3v2 tag
/// before `fLaC` (which some taggers prepend) is skipped. Other blocks
/// (pictures included) are skipped by seeking, so at most the comment block
/// (under 16 MiB by the format) is read.
public enum FLACVorbisComments {
    /// One comment: its key as written and its value.
    public struct Comment: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    /// The comments of the FLAC file at `path`.
    ///
    /// - Returns: nil when the file is not FLAC; an empty list for a FLAC file
    ///   without a comment block. A damaged comment block gives the comments before the damage.
    /// - Throws: ``DecodingError`` when the file cannot be opened.
    public static func read(path: String) throws(DecodingError) -> [Comment]? {
        let descriptor = try AudioFileDescriptor.open(path: path)
        defer { close(descriptor) }
        var offset: Int64 = 0
        func bytes(_ count: Int) -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
                if read < 0, errno == EINTR { continue }
                if read <= 0 { return nil }
                done += read
            }
            offset += Int64(count)
            return buffer
        }
        guard var magic = bytes(4) else { return nil }
        if magic.starts(with: Array("ID3".utf8)) {
            guard let header = bytes(6) else { return nil }    // the rest of the 10-byte header: revision, flags, syncsafe size
            let size = header[2...5].reduce(0) { $0 << 7 | Int64($1 & 0x7F) }
            let footer: Int64 = header[1] & 0x10 != 0 ? 10 : 0
            offset = 10 + size + footer
            guard let next = bytes(4) else { return nil }
            magic = next
        }
        guard magic == Array("fLaC".utf8) else { return nil }
        while let header = bytes(4) {
            let isLast = header[0] & 0x80 != 0, type = header[0] & 0x7F
            let length = Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
            if type == 4 {
                guard let block = bytes(length) else { return [] }
                return comments(inBlock: block)
            }
            if isLast || type == 127 { break }
            offset += Int64(length)
        }
        return []
    }

    /// The comments in a `VORBIS_COMMENT` block's bytes, up to the first damage.
    static func comments(inBlock block: [UInt8]) -> [Comment] {
        var position = 0
        func length() -> Int? {
            guard position + 4 <= block.count else { return nil }
            let value = block[position..<position + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            position += 4
            return value
        }
        guard let vendorLength = length(), vendorLength <= block.count - position else { return [] }
        position += vendorLength
        guard let count = length() else { return [] }
        var result: [Comment] = []
        for _ in 0..<min(count, block.count / 4) {
            guard let commentLength = length(), commentLength <= block.count - position else { break }
            let text = String(decoding: block[position..<position + commentLength], as: UTF8.self)
            position += commentLength
            guard let equals = text.firstIndex(of: "=") else { continue }
            result.append(Comment(key: String(text[..<equals]), value: String(text[text.index(after: equals)...])))
        }
        return result
    }
}
