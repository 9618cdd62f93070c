/// The one way SongAtlas writes a duration for people: `m:ss`, or `h:mm:ss` from an hour on.
public enum DurationText {
    /// `seconds` as a clock reading, e.g. `0:58`, `3:07`, `1:02:03`.
    ///
    /// - Parameters:
    ///   - seconds: any value; negative, non-finite or absurdly large values give `--:--`.
    ///   - rounding: how a fraction of a second goes; `.down` for "so far" readings
    ///     (how far a decode got), the default nearest for estimates and ticks.
    public static func clock(_ seconds: Double,
                             rounding: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e12 else { return "--:--" }
        let whole = Int(seconds.rounded(rounding))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0 ? pad(hours) + ":" + pad2(minutes) + ":" + pad2(rest) : pad(minutes) + ":" + pad2(rest)
    }

    private static func pad(_ value: Int) -> String { String(value) }
    private static func pad2(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
}
