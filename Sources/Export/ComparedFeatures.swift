/// What songs were compared by, as documents write it (`playlists.json`'s and
/// the `similar`/`path` lists' `features`).
///
/// The document's own type: SongAtlas maps its feature choice onto it, so the
/// strings in files stay these three whatever the library calls its choice.
public enum ComparedFeatures: String, Codable, Sendable, CaseIterable {
    /// The learned embedding.
    case embedding
    /// The hand-crafted summary.
    case handcrafted
    /// Both, each counting equally.
    case both

    /// The words text outputs use: `embedding`, `hand-crafted features`, `embedding and hand-crafted features`.
    public var phrase: String {
        switch self {
        case .embedding: return "embedding"
        case .handcrafted: return "hand-crafted features"
        case .both: return "embedding and hand-crafted features"
        }
    }
}
