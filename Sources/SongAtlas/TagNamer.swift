import Features

/// Names a playlist by the tags that set it apart from the rest of the library:
/// `electronic, techno, fast`.
///
/// For each tag of the model, the mean probability over the playlist's songs
/// is compared with the mean over the other songs; the tags whose probability
/// rises most (by at least ``minimumLift``, and to at least
/// ``minimumProbability``) name it, up to ``maximumTags`` of them, one per
/// group of synonyms (the MagnaTagATune list has "vocal", "vocals", "voice"
/// and "singing", for instance). A playlist that is the whole library is named
/// by its most probable tags. When no tag qualifies, ``name(members:)`` gives
/// nil and the caller falls back to descriptor words.
struct TagNamer {
    static let maximumTags = 3
    static let minimumLift: Float = 0.03
    static let minimumProbability: Float = 0.1

    private let tags: [String]
    private let synonymGroup: [Int]
    private let probabilities: [[Float]]
    private let totals: [Double]

    /// - Parameter embeddings: one per track, in input order, all of one model.
    init(_ embeddings: [SongEmbedding]) {
        let model = embeddings[0].model
        tags = model.tags
        synonymGroup = model.tags.map { tag in
            Self.synonyms.firstIndex { $0.contains(tag) } ?? (Self.synonyms.count + model.tags.firstIndex(of: tag)!)
        }
        probabilities = embeddings.map(\.tagProbabilities)
        var totals = [Double](repeating: 0, count: tags.count)
        for row in probabilities { for (tag, value) in row.enumerated() { totals[tag] += Double(value) } }
        self.totals = totals
    }

    /// Tags that mean the same thing in the musicnn tag lists; one of a group names a playlist.
    static let synonyms: [Set<String>] = [
        ["vocal", "vocals", "voice", "singing"],
        ["no vocals", "no vocal", "no voice"],
        ["female", "woman", "female vocal", "female voice", "female vocalists", "female vocalist"],
        ["male", "man", "male vocal", "male voice", "male vocalists"],
        ["classical", "classic"],
        ["beat", "beats"],
        ["choir", "choral"],
        ["electronic", "electronica", "electro"],
        ["chill", "chillout", "Mellow"],
        ["metal", "heavy metal"],
    ]

    /// The name of the playlist of `members` (indices into the embeddings), or nil when no tag sets it apart.
    func name(members: [Int]) -> String? {
        let ranked = rankedTags(members: members)
        return ranked.isEmpty ? nil : ranked.prefix(Self.maximumTags).joined(separator: ", ")
    }

    /// Every tag that sets the playlist of `members` apart (lift and floor as for ``name(members:)``), one per
    /// group of synonyms, the strongest first, lowercased: the words ``PlaylistNaming`` chooses from.
    func rankedTags(members: [Int]) -> [String] {
        guard !members.isEmpty else { return [] }
        let others = probabilities.count - members.count
        var inside = [Double](repeating: 0, count: tags.count)
        for member in members { for (tag, value) in probabilities[member].enumerated() { inside[tag] += Double(value) } }
        let scored: [(tag: Int, score: Double)] = tags.indices.compactMap { tag in
            let mean = inside[tag] / Double(members.count)
            guard mean >= Double(Self.minimumProbability) else { return nil }
            if others == 0 { return (tag, mean) }
            let lift = mean - (totals[tag] - inside[tag]) / Double(others)
            return lift >= Double(Self.minimumLift) ? (tag, lift) : nil
        }
        var chosen: [String] = []
        var groups = Set<Int>()
        for candidate in scored.sorted(by: { ($0.score, -$0.tag) > ($1.score, -$1.tag) }) {
            if groups.insert(synonymGroup[candidate.tag]).inserted { chosen.append(tags[candidate.tag].lowercased()) }
        }
        return chosen
    }
}
