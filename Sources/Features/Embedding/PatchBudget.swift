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

    /// The budget used when none is given. Chosen by measurement (see the README).
    public static let `default` = PatchBudget.evenlySpaced(5)

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
