/// A Chromaprint audio fingerprint of a track: what duplicate detection compares.
///
/// The raw fingerprint of Chromaprint's default algorithm (TEST2, as
/// `fpcalc -raw` prints it): one 32-bit item per ``itemSeconds`` of audio,
/// each bit a sign of a filtered chroma difference, so it survives a gain
/// change and lossy encoding, and two copies of one recording differ in few
/// bits at the right alignment. Computed from the analysis decode (mono,
/// 22,050 Hz), over at most ``computedSeconds`` from where the analysed audio
/// starts, so a 10-hour file costs no more time or memory than a 2-minute one.
///
/// Two minutes, as `fpcalc` takes by default and AcoustID identifies
/// recordings by: the fingerprint then covers all of a file up to 2 minutes and
/// most of one up to 4, and for a longer file its first 2 minutes. That keeps
/// its cost at a fixed ~2 minutes of Chromaprint's work per track, whatever the
/// track's length. What the rest of a longer file holds is judged by its length:
/// the duplicate search groups two files only when their lengths also agree, so a
/// copy cut short after its second minute is still reported, not grouped. Two
/// different recordings that share their first 2 minutes and their length (one
/// intro, another ending) would be taken for one.
public struct AudioFingerprint: Sendable, Equatable {
    /// The fingerprint's version: Chromaprint algorithm TEST2 fed the analysis decode
    /// (mono, 22,050 Hz, 16-bit), at most ``maximumSeconds``. A stored fingerprint of another
    /// version is not compared. Fingerprints of ``computedSeconds`` and stored ones of up to
    /// ``maximumSeconds`` compare with each other (a match is scored over the shorter), so the
    /// shorter stretch kept the version.
    public static let version = 1
    /// The stretch fingerprinted, in seconds from the start of the analysed audio: 120 s (`fpcalc`'s default).
    public static let computedSeconds = 120.0
    /// The longest stretch a stored fingerprint of this version covers, in seconds: 600 s, what
    /// SongAtlas fingerprinted before ``computedSeconds`` (such records are still read and compared).
    public static let maximumSeconds = 600.0
    /// Seconds of audio per item: 4096 / 3 samples at Chromaprint's 11,025 Hz, about 0.124 s.
    public static let itemSeconds = 4096.0 / 3.0 / 11025.0
    /// The fewest seconds of audio a fingerprint is trusted for (a shorter file is matched by distance only).
    public static let minimumSeconds = 3.0
    /// The most items a fingerprint of ``maximumSeconds`` can hold, with room for rounding.
    public static let maximumItemCount = Int(maximumSeconds / itemSeconds) + 16

    /// ``version`` when made by this SongAtlas.
    public var version: Int
    /// The raw fingerprint items, one per ``itemSeconds``.
    public var values: [UInt32]
    /// Seconds of audio fingerprinted (at most ``computedSeconds``; ``maximumSeconds`` in older records).
    public var fingerprintedSeconds: Double

    public init(version: Int = AudioFingerprint.version, values: [UInt32], fingerprintedSeconds: Double) {
        self.version = version
        self.values = values
        self.fingerprintedSeconds = fingerprintedSeconds
    }

    /// Whether the fingerprint covers enough audio (``minimumSeconds``) to be compared.
    public var isUsable: Bool {
        version == Self.version && fingerprintedSeconds >= Self.minimumSeconds && values.count >= 8
    }
}
