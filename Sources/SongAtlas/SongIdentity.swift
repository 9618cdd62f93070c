import Clustering
import FilePaths
import Foundation
import Library

/// Who made a song, on which album, and which piece it is, as keys that
/// compare equal across the spellings of one release and another.
///
/// What the similarity ranking's caps and duplicate check compare
/// (``SongGroups``):
/// - **artist:** the artist tag folded to lower case without diacritics or
///   punctuation, a leading "the" and any "feat. …" part dropped;
/// - **album:** the album tag folded the same way, together with the file's
///   folder, so that two artists' "Greatest Hits" stay two albums while a
///   compilation in one folder stays one;
/// - **work:** the artist key and the title key, where the title drops the
///   parts that name a version rather than a piece: a bracketed or dashed
///   part that says remaster(ed), live, mix, remix, edit, version, mono,
///   stereo, demo, deluxe, bonus, single, radio, acoustic, unplugged,
///   instrumental, explicit, take, session or mastered, or that is only a
///   year. Everything else stays, so "Prelude No. 1" and "Prelude No. 2",
///   or "Étude (Op. 10 No. 3)" and "Étude (Op. 10 No. 12)", stay two works.
///
/// A song with no artist or no title tag has no work key: it is never merged on tags.
public struct SongIdentity: Sendable, Equatable {
    public var artist: String?
    public var album: String?
    public var work: String?

    /// The words that mark a bracketed or dashed title part as a version.
    static let versionWords: Set<String> = [
        "remaster", "remastered", "remasters", "live", "mix", "remix", "edit", "version", "mono", "stereo", "demo",
        "deluxe", "bonus", "single", "radio", "acoustic", "unplugged", "instrumental", "explicit", "take",
        "session", "sessions", "mastered", "reissue", "anniversary", "expanded", "edition",
    ]

    /// Opening brackets and their closing ones.
    static let brackets: [Character: Character] = ["(": ")", "[": "]", "{": "}"]

    /// The keys of `track`.
    public init(_ track: TrackAnalysis) {
        self.init(artist: track.artist, album: track.album, title: track.title, path: track.path)
    }

    /// The keys of a song with these tags at `path`.
    public init(artist: String?, album: String?, title: String?, path: String) {
        var keys = KeyMemo()
        self.init(artist: artist, album: album, title: title, path: path, keys: &keys)
    }

    init(artist: String?, album: String?, title: String?, path: String, keys: inout KeyMemo) {
        let artistKey = artist.map { keys.artist($0) }.flatMap { $0.isEmpty ? nil : $0 }
        self.artist = artistKey
        let folder = PathKey.folder(of: PathKey.of(path, currentDirectory: keys.currentDirectory))
        self.album = album.map { keys.folded($0) }.flatMap { $0.isEmpty ? nil : $0 + "\u{1F}" + folder }
        let titleKey = title.map(Self.titleKey).flatMap { $0.isEmpty ? nil : $0 }
        if let artistKey, let titleKey { work = artistKey + "\u{1F}" + titleKey } else { work = nil }
    }

    /// Artist and album keys already computed: a library repeats them.
    struct KeyMemo {
        let currentDirectory = FileManager.default.currentDirectoryPath
        var artists: [String: String] = [:]
        var albums: [String: String] = [:]
        mutating func artist(_ text: String) -> String {
            if let key = artists[text] { return key }
            let key = SongIdentity.artistKey(text)
            artists[text] = key
            return key
        }
        mutating func folded(_ text: String) -> String {
            if let key = albums[text] { return key }
            let key = SongIdentity.folded(text)
            albums[text] = key
            return key
        }
    }

    /// The groups of `identities`, for ``SimilarityRanking``.
    public static func groups(_ identities: [SongIdentity]) -> SongGroups {
        SongGroups(artist: SongGroups.ids(identities.map(\.artist)), album: SongGroups.ids(identities.map(\.album)),
                   work: SongGroups.ids(identities.map(\.work)))
    }

    /// The groups of `tracks`, for ``SimilarityRanking``.
    ///
    /// - Complexity: O(n) string work, each distinct artist and album folded once.
    public static func groups(_ tracks: [TrackAnalysis]) -> SongGroups {
        var keys = KeyMemo()
        return groups(tracks.map {
            SongIdentity(artist: $0.artist, album: $0.album, title: $0.title, path: $0.path, keys: &keys)
        })
    }

    /// Lower case, no diacritics, punctuation as spaces, single spaces.
    static func folded(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (most tags): the same result without Foundation's folding, which is slow on Linux, written
            // straight into one buffer (words of letters and digits, one space between two).
            var folded: [UInt8] = []
            folded.reserveCapacity(text.utf8.count)
            var spaceDue = false
            for byte in text.utf8 {
                let kept: UInt8
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): kept = byte
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): kept = byte + 32
                default:
                    spaceDue = !folded.isEmpty
                    continue
                }
                if spaceDue {
                    folded.append(UInt8(ascii: " "))
                    spaceDue = false
                }
                folded.append(kept)
            }
            return String(decoding: folded, as: UTF8.self)
        }
        let plain = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        let spaced = String(plain.map { $0.isLetter || $0.isNumber ? $0 : " " })
        return spaced.split(separator: " ").joined(separator: " ")
    }

    /// The artist without a leading "the" and without "feat. …", "ft. …" or "featuring …".
    static func artistKey(_ artist: String) -> String {
        var words = folded(artist).split(separator: " ").map(String.init)
        if let cut = words.firstIndex(where: { ["feat", "ft", "featuring"].contains($0) }), cut > 0 {
            words = Array(words[..<cut])
        }
        if words.first == "the" && words.count > 1 { words.removeFirst() }
        return words.joined(separator: " ")
    }

    /// The title without the parts that name a version (see the type's description).
    static func titleKey(_ title: String) -> String {
        // No bracket and no dash (looked for in the bytes: "–" and "—" are not ASCII): nothing to drop.
        if title.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "(") && $0 != UInt8(ascii: "[")
            && $0 != UInt8(ascii: "{") && $0 != UInt8(ascii: "-") }) { return folded(title) }
        if !title.contains(where: { "([{-–—".contains($0) }) { return folded(title) }
        var kept = ""
        var part = ""
        var closing: Character?
        // Bracketed parts: (…), […], {…}.
        for character in title {
            if let close = closing {
                if character == close {
                    if !isVersionPart(part) { kept += " " + part }
                    part = ""
                    closing = nil
                } else {
                    part.append(character)
                }
            } else if let close = Self.brackets[character] {
                closing = close
            } else {
                kept.append(character)
            }
        }
        if closing != nil { kept += " " + part }   // unclosed: keep it
        // Dashed parts: "Song - Remastered 2011", "Song – Live at Leeds".
        var pieces = kept.components(separatedBy: " - ")
            .flatMap { $0.components(separatedBy: " – ") }.flatMap { $0.components(separatedBy: " — ") }
        while pieces.count > 1, isVersionPart(pieces.last!) { pieces.removeLast() }
        return folded(pieces.joined(separator: " "))
    }

    /// Whether a title part names a version (a version word, or only a year).
    static func isVersionPart(_ part: String) -> Bool {
        let words = folded(part).split(separator: " ").map(String.init)
        guard !words.isEmpty else { return true }
        if words.count == 1, let year = Int(words[0]), (1900...2100).contains(year) { return true }
        return words.contains { versionWords.contains($0) }
    }
}
