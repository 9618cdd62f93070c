import Foundation

/// The tags a decoder reads from a file's metadata.
public struct AudioTags: Codable, Equatable, Sendable {
    public var title: String?
    public var artist: String?
    public var album: String?
    /// The track's number on its disc ("3" of "3/12").
    public var trackNumber: Int?
    /// The disc's number in a set ("1" of "1/2").
    public var discNumber: Int?

    public init(title: String? = nil, artist: String? = nil, album: String? = nil,
                trackNumber: Int? = nil, discNumber: Int? = nil) {
        self.title = title
        self.artist = artist
        self.album = album
        self.trackNumber = trackNumber
        self.discNumber = discNumber
    }

    /// The leading number of a tag such as `"3"`, `"03/12"` or `" 7 of 9"`; nil when there is none.
    static func number(_ text: String?) -> Int? {
        guard let text else { return nil }
        let digits = text.drop { $0 == " " }.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9, let value = Int(digits), value > 0 else { return nil }
        return value
    }

    /// Trims a tag's whitespace; nil when nothing is left.
    static func cleaned(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
            return nil
        }
        return trimmed
    }
}
