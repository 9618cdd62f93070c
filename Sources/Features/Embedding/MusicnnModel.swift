/// The two musicnn models SongAtlas can run (Pons and Serra, 2019).
///
/// Both share one network (see `../shared/design/musicnn.md` and
/// `docs/ARCHITECTURE.md`); they differ in their training data and so in
/// their weights and tag lists: `mtt` was trained on MagnaTagATune (50 tags),
/// `msd` on the Million Song Dataset (50 tags). The tag lists are
/// `MTT_LABELS` and `MSD_LABELS` of `musicnn/configuration.py` in the
/// musicnn 0.1.0 wheel, in the order of the network's output units.
public enum MusicnnModel: String, CaseIterable, Sendable, Codable, Hashable {
    case mtt
    case msd

    /// The name used in records and files: "musicnn-mtt" or "musicnn-msd".
    public var identifier: String { "musicnn-\(rawValue)" }

    /// Values in the embedding: the 200 units of the penultimate dense layer
    /// (the same for every musicnn model; prefer ``dimension``).
    public static let embeddingDimensionCount = 200

    /// Values in this model's embedding (its penultimate dense layer).
    public var dimension: Int { Self.embeddingDimensionCount }

    /// The version of this model's values (``SongEmbedding/version``): a cached
    /// embedding of another version is recomputed.
    public var version: Int { SongEmbedding.version }

    /// The rate the network's front end works at: 16 kHz (``LogMelFrontEnd``).
    public var inputSampleRate: Int { LogMelFrontEnd.configuration.sampleRate }

    /// One patch the network reads: 187 log-mel frames (2.992 s) of 96 bands.
    public var patchShape: (frames: Int, bands: Int) { (MusicnnNetwork.frames, MusicnnNetwork.melBands) }

    /// The model's weights from the models folder `store` (``ModelStore/loadWeights(_:)``).
    public func loadWeights(from store: ModelStore) throws(ModelError) -> MusicnnWeights { try store.loadWeights(self) }

    /// The model's tags in the order of its output units (50 of them).
    public var tags: [String] {
        switch self {
        case .mtt: Self.mttTags
        case .msd: Self.msdTags
        }
    }

    static let mttTags = [
        "guitar", "classical", "slow", "techno", "strings", "drums", "electronic", "rock", "fast", "piano",
        "ambient", "beat", "violin", "vocal", "synth", "female", "indian", "opera", "male", "singing",
        "vocals", "no vocals", "harpsichord", "loud", "quiet", "flute", "woman", "male vocal", "no vocal", "pop",
        "soft", "sitar", "solo", "man", "classic", "choir", "voice", "new age", "dance", "male voice",
        "female vocal", "beats", "harp", "cello", "no voice", "weird", "country", "metal", "female voice", "choral",
    ]

    static let msdTags = [
        "rock", "pop", "alternative", "indie", "electronic", "female vocalists", "dance", "00s", "alternative rock",
        "jazz", "beautiful", "metal", "chillout", "male vocalists", "classic rock", "soul", "indie rock", "Mellow",
        "electronica", "80s", "folk", "90s", "chill", "instrumental", "punk", "oldies", "blues", "hard rock",
        "ambient", "acoustic", "experimental", "female vocalist", "guitar", "Hip-Hop", "70s", "party", "country",
        "easy listening", "sexy", "catchy", "funk", "electro", "heavy metal", "Progressive rock", "60s", "rnb",
        "indie pop", "sad", "House", "happy",
    ]
}
