import Clustering
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
        let artistKey = artist.map(Self.artistKey).flatMap { $0.isEmpty ? nil : $0 }
        self.artist = artistKey
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        self.album = album.map(Self.folded).flatMap { $0.isEmpty ? nil : $0 + "\u{1F}" + folder }
        let titleKey = title.map(Self.titleKey).flatMap { $0.isEmpty ? nil : $0 }
        if let artistKey, let titleKey { work = artistKey + "\u{1F}" + titleKey } else { work = nil }
    }

    /// The groups of `tracks`, for ``SimilarityRanking``.
    public static func groups(_ identities: [SongIdentity]) -> SongGroups {
        SongGroups(artist: SongGroups.ids(identities.map(\.artist)), album: SongGroups.ids(identities.map(\.album)),
                   work: SongGroups.ids(identities.map(\.work)))
    }

    /// Lower case, no diacritics, punctuation as spaces, single spaces.
    static func folded(_ text: String) -> String {
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
