/// A Chromaprint audio fingerprint of a track: what duplicate detection compares.
///
/// The raw fingerprint of Chromaprint's default algorithm (TEST2, as
/// `fpcalc -raw` prints it): one 32-bit item per ``itemSeconds`` of audio,
/// each bit a sign of a filtered chroma difference, so it survives a gain
/// change and lossy encoding, and two copies of one recording differ in few
/// bits at the right alignment. Computed from the analysis decode (mono,
/// 22,050 Hz), over at most ``maximumSeconds`` from where the analysed audio
/// starts, so a 10-hour file costs no more memory than a 10-minute one.
public struct AudioFingerprint: Sendable, Equatable {
    /// The fingerprint's version: Chromaprint algorithm TEST2 fed the analysis decode
    /// (mono, 22,050 Hz, 16-bit), at most ``maximumSeconds``. A stored fingerprint of another
    /// version is not compared.
    public static let version = 1
    /// The longest stretch fingerprinted, in seconds (from the start of the analysed audio).
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
    /// Seconds of audio fingerprinted (at most ``maximumSeconds``).
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
