import Foundation

extension PlaylistNaming {
    /// The share of a playlist's songs that must carry one genre tag for it to name the playlist: 60 %.
    ///
    /// A strict majority is not enough to call a whole playlist by one genre: with 50 %, a playlist half
    /// "Rock" and half untagged or "Jazz" would be named "rock". 60 % asks for three of five songs (two of
    /// three, four of six), where the other songs cannot outnumber the genre even all together with one
    /// more song; it is stricter than the artist's "more than half" of ``mostly(artists:albums:library:)``
    /// because a name's first word claims the playlist's style, where "Mostly X" says only "mostly".
    static let genreShare = 0.6

    /// The genre tag that at least ``genreShare`` of `genres` (one per song, nil where a song has none) carry,
    /// as a name word: lower-cased, its words joined by single spaces ("Hip Hop" → "hip hop"), with the
    /// spelling the most songs use when songs spell it differently ("Hip-Hop" and "hip hop" are one genre).
    /// Nil when no genre holds that share, for fewer than two songs, or for a placeholder ("Unknown", "Other",
    /// a bare ID3v1 number).
    static func majorityGenre(_ genres: [String?]) -> String? {
        guard genres.count >= 2 else { return nil }
        var counts: [String: Int] = [:]
        var spellings: [String: [String: Int]] = [:]
        for case let genre? in genres {
            guard let spelled = displayGenre(genre) else { continue }
            let key = genreKey(spelled)
            counts[key, default: 0] += 1
            spellings[key, default: [:]][spelled, default: 0] += 1
        }
        guard let top = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
              Double(top.value) >= genreShare * Double(genres.count) else { return nil }
        return spellings[top.key]?.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// The words that tell one genre from another, for comparing: lower case, letters and digits only,
    /// so "Hip-Hop", "hip hop" and "HipHop " compare equal ("hiphop"), and so do a genre and a model tag
    /// ("hip-hop").
    static func genreKey(_ word: String) -> String {
        String(word.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// A genre tag as a name word: its first value (a tag may list several, "Rock; Pop"), lower-cased, its
    /// whitespace collapsed; nil for a placeholder or a value with no letter.
    static func displayGenre(_ tag: String) -> String? {
        let first = tag.split(separator: ";", omittingEmptySubsequences: true).first.map(String.init) ?? tag
        let words = first.lowercased().split(whereSeparator: { $0.isWhitespace })
        let spelled = words.joined(separator: " ")
        guard spelled.contains(where: \.isLetter), !placeholderGenres.contains(genreKey(spelled)) else { return nil }
        return spelled
    }

    /// Genre tags that say nothing about the music.
    static let placeholderGenres: Set<String> = ["unknown", "other", "none", "genre", "misc", "unknowngenre"]
}
