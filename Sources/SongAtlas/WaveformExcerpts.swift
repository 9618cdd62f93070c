/// The excerpts ``WaveformMatch`` compares within one duplicate search, each song decoded once.
///
/// Made from the search's candidate pairs, so it knows how many pairs still need
/// each song: an excerpt is kept until its song's last pair is scored, then
/// dropped. At most ``budgetBytes`` of excerpts are held (a 10 s excerpt is
/// 882 kB; the default 64 MB holds some 76); past that, the excerpt needed by
/// the fewest remaining pairs is dropped, and decoded again only if a later
/// pair needs it. A song that cannot be decoded is remembered as such and not
/// tried again.
struct WaveformExcerpts {
    /// The default most bytes of excerpts held at once: 64 MB.
    static let defaultBudgetBytes = 64 << 20

    /// The most bytes of excerpts held at once.
    let budgetBytes: Int
    /// Each song's excerpt, or nil inside when it could not be decoded; absent when not decoded or dropped.
    private var held: [Int: [Float]?] = [:]
    /// Pairs not yet scored that need each song.
    private var remaining: [Int: Int] = [:]
    /// Bytes of the excerpts held.
    private var heldBytes = 0

    /// A memo for scoring `pairs` (song indices), holding at most `budgetBytes` of excerpts.
    ///
    /// - Parameters:
    ///   - pairs: every pair that ``correlation(_:_:decode:)`` will be asked for, each once.
    ///   - budgetBytes: the most bytes of excerpts held at once, ≥ 0; default ``defaultBudgetBytes``.
    init(pairs: [(Int, Int)], budgetBytes: Int = WaveformExcerpts.defaultBudgetBytes) {
        self.budgetBytes = max(0, budgetBytes)
        for (first, second) in pairs {
            remaining[first, default: 0] += 1
            remaining[second, default: 0] += 1
        }
    }

    /// The waveform correlation of songs `first` and `second` (``WaveformMatch/correlation(_:_:)``), or nil
    /// when either cannot be decoded; each excerpt from `decode` unless held.
    ///
    /// - Parameters:
    ///   - first, second: one of the pairs given at ``init(pairs:budgetBytes:)``.
    ///   - decode: a song's excerpt (``WaveformMatch/excerpt(of:)``), or nil when it cannot be decoded.
    mutating func correlation(_ first: Int, _ second: Int, decode: (Int) -> [Float]?) -> Double? {
        let a = excerpt(first, keeping: second, decode: decode)
        let b = excerpt(second, keeping: first, decode: decode)
        release(first)
        release(second)
        guard let a, let b else { return nil }
        return WaveformMatch.correlation(a, b)
    }

    /// Song `song`'s excerpt, held or decoded (then held while pairs still need it, within the budget,
    /// never dropping `partner`'s).
    private mutating func excerpt(_ song: Int, keeping partner: Int, decode: (Int) -> [Float]?) -> [Float]? {
        if let known = held[song] { return known }
        let samples = decode(song)
        guard (remaining[song] ?? 0) > 1 else { return samples }
        let bytes = (samples?.count ?? 0) * MemoryLayout<Float>.stride
        guard bytes <= budgetBytes else { return samples }
        while heldBytes + bytes > budgetBytes {
            let droppable = held.compactMap { key, value in value == nil || key == partner ? nil : key }
            guard let victim = droppable.min(by: { (remaining[$0] ?? 0, $0) < (remaining[$1] ?? 0, $1) }) else { break }
            drop(victim)
        }
        guard heldBytes + bytes <= budgetBytes else { return samples }
        held[song] = .some(samples)
        heldBytes += bytes
        return samples
    }

    /// Counts one pair of `song`'s as scored; drops its excerpt after its last.
    private mutating func release(_ song: Int) {
        let left = (remaining[song] ?? 1) - 1
        remaining[song] = left
        if left <= 0 { drop(song) }
    }

    /// Forgets song `song`'s excerpt.
    private mutating func drop(_ song: Int) {
        guard let entry = held.removeValue(forKey: song) else { return }
        heldBytes -= (entry?.count ?? 0) * MemoryLayout<Float>.stride
    }

    /// Bytes of the excerpts held now (for tests).
    var bytesHeld: Int { heldBytes }
}
