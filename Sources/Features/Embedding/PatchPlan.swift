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

    /// Whole patches in `frames` log-mel frames: ⌊frames / 187⌋.
    static func wholePatches(frames: Int) -> Int { frames / MusicnnNetwork.frames }

    /// Log-mel frames of `sampleCount` samples at 16 kHz: `1 + sampleCount / 256`.
    static func frames(samples16k sampleCount: Int) -> Int {
        LogMelFrontEnd.configuration.frameCount(sampleCount: sampleCount)
    }
}
