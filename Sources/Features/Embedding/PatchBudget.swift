/// Which of a track's 3-second patches the embedding network runs on.
///
/// A patch is 187 frames of the 16 kHz log-mel front end (2.992 s), whole
/// patches only, without overlap. The network costs about 2.8 GFLOP per
/// patch, so by default a few evenly spaced patches stand for the track.
public enum PatchBudget: Sendable, Equatable, Hashable, Codable {
    /// At most this many patches (≥ 1), spread evenly over the analysed span.
    case evenlySpaced(Int)
    /// Every whole patch of the analysed span.
    case all

    /// The budget used when none is given: 10 evenly spaced patches. Chosen by
    /// measurement (`songatlas-bench embedding-budget`, README "The learned
    /// embedding"): on 140 real tracks from 10 sources, k-means ARI was 0.22,
    /// 0.29, 0.31, 0.35 and 0.35 with 1, 3, 5, 10 and every patch (34 on
    /// average); 10 patches lose nothing against all of them at a third of the cost.
    public static let `default` = PatchBudget.evenlySpaced(10)

    /// The budget `description` names ("all" or a count ≥ 1), or nil.
    public init?(description: String) {
        if description == "all" {
            self = .all
        } else if let count = Int(description), count >= 1 {
            self = .evenlySpaced(count)
        } else {
            return nil
        }
    }

    /// "all", or the patch count ("5").
    public var description: String {
        switch self {
        case .all: "all"
        case .evenlySpaced(let count): String(count)
        }
    }
}
