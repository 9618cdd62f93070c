/// Which whole patches of a track the network runs on, from the number of
/// whole patches the track is expected to have.
///
/// Patches are the non-overlapping 187-frame blocks starting at frame 0
/// (musicnn's `batch_data` with overlap 187). ``PatchBudget/evenlySpaced(_:)``
/// with `n` < `count` takes patch `⌊(2i + 1) · count / (2n)⌋` for i in 0..<n:
/// the centres of n equal parts of the track, so one patch is the middle one
/// and the intro and outro count no more than the rest. With `n ≥ count`, or
/// ``PatchBudget/all``, every patch is taken.
struct PatchPlan: Equatable {
    /// Whole patches expected.
    let count: Int
    /// The chosen patch indices, ascending; nil means every patch.
    let chosen: Set<Int>?

    init(budget: PatchBudget, expectedPatches: Int) {
        let total = max(expectedPatches, 0)
        count = total
        switch budget {
        case .all:
            chosen = nil
        case .evenlySpaced(let wanted):
            let wanted = max(wanted, 1)
            chosen = wanted >= total ? nil : Set((0..<wanted).map { (2 * $0 + 1) * total / (2 * wanted) })
        }
    }

    /// Whether patch `index` is to be run.
    func includes(_ index: Int) -> Bool {
        chosen?.contains(index) ?? true
    }

    /// The first chosen patch (0 when every patch is chosen).
    var firstChosen: Int { chosen?.min() ?? 0 }

    /// Whether patch `index`'s log-mel frames are computed: the chosen
    /// patches, and every patch before the first chosen one, so that if the
    /// track ends before any chosen patch (a header that promised more), its
    /// last whole patch is at hand.
    func computes(_ index: Int) -> Bool {
        chosen == nil || index <= firstChosen || includes(index)
    }

    /// Samples per patch at 16 kHz: 187 hops of 256.
    static let samplesPerPatch = MusicnnNetwork.frames * 256

    /// The 16 kHz sample ranges the computed frames read (frame j covers
    /// samples j·256 − 256 ..< j·256 + 256), ascending and merged; nil when
    /// every patch is computed. Everything else need not be resampled.
    var neededSamples: [Range<Int>]? {
        guard let chosen else { return nil }
        var ranges = [0..<((firstChosen + 1) * Self.samplesPerPatch)]
        for patch in chosen.sorted() where patch > firstChosen {
            let range = (patch * Self.samplesPerPatch - 256)..<((patch + 1) * Self.samplesPerPatch)
            if range.lowerBound <= ranges[ranges.count - 1].upperBound {
                ranges[ranges.count - 1] = ranges[ranges.count - 1].lowerBound..<range.upperBound
            } else {
                ranges.append(range)
            }
        }
        return ranges
    }

    /// Whole patches in `frames` log-mel frames: ⌊frames / 187⌋.
    static func wholePatches(frames: Int) -> Int { frames / MusicnnNetwork.frames }

    /// Log-mel frames of `sampleCount` samples at 16 kHz: `1 + sampleCount / 256`.
    static func frames(samples16k sampleCount: Int) -> Int {
        LogMelFrontEnd.configuration.frameCount(sampleCount: sampleCount)
    }
}

extension PatchBudget {
    /// The indices of the whole patches this budget runs in a track of `count`
    /// whole patches, ascending (see ``PatchPlan``).
    public func chosenPatches(of count: Int) -> [Int] {
        PatchPlan(budget: self, expectedPatches: count).chosen.map { $0.sorted() } ?? Array(0..<max(count, 0))
    }
}
