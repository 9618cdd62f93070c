/// How a self-organizing map is trained.
public enum SOMTraining: String, Sendable, Codable, CaseIterable {
    /// Batch SOM: every epoch assigns all items, then moves every unit to
    /// the neighbourhood-weighted mean of the items (Kohonen's batch map).
    case batch
    /// One item at a time: learning rate 0.5 and radius max(w, h)/2, both
    /// decaying linearly to zero over the iterations.
    case online
}
