import Features

/// Names a playlist by the tags that set it apart from the rest of the library:
/// `electronic, techno, fast`.
///
/// For each tag of the models, the mean probability over the playlist's songs
/// is compared with the mean over the other songs; the tags whose probability
/// rises most (by at least ``minimumLift``, and to at least
/// ``minimumProbability``) name it, up to ``maximumTags`` of them, one per
/// group of synonyms (the MagnaTagATune list has "vocal", "vocals", "voice"
/// and "singing", for instance). A playlist that is the whole library is named
/// by its most probable tags. When no tag qualifies, ``name(members:)`` gives
/// nil and the caller falls back to descriptor words.
///
/// It reads every vocabulary it is given: MTT's (instruments, moods) and, when the
/// songs have it, MSD's (genres). A word both vocabularies can say ("guitar",
/// "rock", "electronic", "metal" …, synonyms included) names a playlist only when
/// each of them says it: MTT hears "guitar" in solo piano, MSD does not.
struct TagNamer {
    static let maximumTags = 3
    /// Measured with `scripts/python/eval_names_floor.py` on the eval set's DEV half (72 clips, 10 sources, MTT),
    /// every source taken as a playlist: with a lift of 0.05 and a floor of 0.075, 44 (source, tag) pairs
    /// qualify and 59 % of them separate their source from the rest (AUC ≥ 0.75), against 46 and 46 % with
    /// the earlier guess (0.03, 0.1); a higher floor drops words without raising the share. Reported on the
    /// TEST half (68 clips): 45 pairs, 60 %, against 47 and 53 %.
    static let minimumLift: Float = 0.05
    static let minimumProbability: Float = 0.075

    private let tags: [String]
    /// Each tag's vocabulary (index into the vocabularies given).
    private let vocabulary: [Int]
    private let synonymGroup: [Int]
    private let probabilities: [[Float]]
    private let totals: [Double]

    /// - Parameter embeddings: one per track, in input order, all of one model.
    init(_ embeddings: [SongEmbedding]) { self.init(vocabularies: [embeddings]) }

    /// - Parameter vocabularies: per model, one embedding per track, in input order (each non-empty, of one model).
    init(vocabularies: [[SongEmbedding]]) {
        var tags: [String] = []
        var vocabulary: [Int] = []
        for (index, embeddings) in vocabularies.enumerated() {
            tags += embeddings[0].model.tags
            vocabulary += Array(repeating: index, count: embeddings[0].model.tags.count)
        }
        self.tags = tags
        self.vocabulary = vocabulary
        // One group per synonym set, else per word (lowercased), across the vocabularies.
        var groupOfWord: [String: Int] = [:]
        synonymGroup = tags.map { tag in
            if let group = Self.synonyms.firstIndex(where: { $0.contains(tag) }) { return group }
            let word = tag.lowercased()
            if let group = groupOfWord[word] { return group }
            let group = Self.synonyms.count + groupOfWord.count
            groupOfWord[word] = group
            return group
        }
        probabilities = vocabularies[0].indices.map { track in vocabularies.flatMap { $0[track].tagProbabilities } }
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
        // A word that several vocabularies can say must be said by each of them.
        let qualified = Set(scored.map(\.tag))
        var vocabulariesOfGroup: [Int: Set<Int>] = [:]
        var sayingVocabularies: [Int: Set<Int>] = [:]
        for tag in tags.indices {
            vocabulariesOfGroup[synonymGroup[tag], default: []].insert(vocabulary[tag])
            if qualified.contains(tag) { sayingVocabularies[synonymGroup[tag], default: []].insert(vocabulary[tag]) }
        }
        var chosen: [String] = []
        var groups = Set<Int>()
        for candidate in scored.sorted(by: { ($0.score, -$0.tag) > ($1.score, -$1.tag) }) {
            let group = synonymGroup[candidate.tag]
            guard sayingVocabularies[group] == vocabulariesOfGroup[group] else { continue }
            if groups.insert(group).inserted { chosen.append(tags[candidate.tag].lowercased()) }
        }
        return chosen
    }
}
