import Export

extension ComparedFeatures {
    /// How documents write the representation a ``FeatureSpace`` compared.
    public init(_ features: SongFeatures) {
        switch features {
        case .embedding: self = .embedding
        case .handcrafted: self = .handcrafted
        case .both: self = .both
        }
    }
}
