import Foundation

/// Gives each playlist of a set a name no other playlist shares, down to the first word.
///
/// Each playlist brings its candidate words, strongest first (``TagNamer/rankedTags(members:)``, or the
/// descriptor words of the summary without an embedding). The playlists are named in order (largest first):
/// each takes as its first word the strongest of its words that no earlier playlist starts with, then up to
/// two more of its words. So where two playlists would both start with "techno", the second starts with the
/// word that separates it. A playlist with no word left that another does not start with is `mixed` (the
/// evidence does not set it apart: it claims nothing), numbered apart if there are several. When one artist (or else one album) holds more than half
/// of a playlist of at least three songs, the name says so first: `Mostly El Senator: rock, metal`.
///
/// The files' own genre tags come before the models' words: where one genre holds ``genreShare`` of a
/// playlist (``majorityGenre(_:)``), it is the first of its words, so it is the name's first word unless an
/// earlier playlist starts with it; then the later playlist starts with the strongest word of its own that
/// separates it, and carries the genre after it (`piano, jazz, slow` beside `jazz, saxophone, live`).
enum PlaylistNaming {
    /// What one playlist brings to its name.
    struct Evidence: Equatable {
        /// Candidate words, strongest first.
        var words: [String]
        /// The artist, or else the album, that holds more than half of the playlist; nil for none.
        var mostly: String?
        /// The files' genre tag that holds ``genreShare`` of the playlist, as a name word; nil for none.
        var genre: String? = nil

        /// The candidate words with the genre first, and no model word that says the same genre.
        var rankedWords: [String] {
            guard let genre else { return words }
            let key = PlaylistNaming.genreKey(genre)
            return [genre] + words.filter { PlaylistNaming.genreKey($0) != key }
        }
    }

    /// The word of a playlist without evidence of its own.
    static let weakName = "mixed"

    /// Names for playlists in order; each distinct from the others, first word included.
    static func names(_ evidence: [Evidence], maximumWords: Int = TagNamer.maximumTags) -> [String] {
        var usedFirst = Set<String>()
        var used = Set<String>()
        var mixedCount = 0
        return evidence.map { item in
            var words: [String] = []
            let candidates = item.rankedWords
            // Compared by ``genreKey(_:)``: the genre "hip hop" and the model's "hip-hop" are one first word.
            if let first = candidates.first(where: { !usedFirst.contains(genreKey($0)) }) {
                words.append(first)
                usedFirst.insert(genreKey(first))
                words += candidates.filter { $0 != first }.prefix(maximumWords - 1)
            }
            var name: String
            if words.isEmpty {
                mixedCount += 1
                name = mixedCount == 1 ? weakName : "\(weakName) \(mixedCount)"
            } else {
                name = words.joined(separator: ", ")
            }
            if let mostly = item.mostly { name = "Mostly \(mostly): \(name)" }
            var unique = name
            var suffix = 2
            while used.contains(unique) {
                unique = "\(name) \(suffix)"
                suffix += 1
            }
            used.insert(unique)
            return unique
        }
    }

    /// The artist (or else the album) of more than half of `artists`' songs, when there are at least three
    /// songs and it is not one of `library` (the artist or album of most of the whole library, which sets
    /// no playlist apart).
    static func mostly(artists: [String?], albums: [String?], library: Set<String> = []) -> String? {
        guard artists.count >= 3 else { return nil }
        for values in [artists, albums] where !values.isEmpty {
            var counts: [String: Int] = [:]
            for case let value? in values where !value.trimmingCharacters(in: .whitespaces).isEmpty {
                counts[value, default: 0] += 1
            }
            if let top = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), top.value * 2 > values.count,
               !library.contains(top.key) {
                return top.key
            }
        }
        return nil
    }
}
