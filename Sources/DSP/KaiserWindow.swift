#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The Kaiser window and the filter-design rules that go with it.
///
/// Follows Kaiser's empirical formulas as given in Oppenheim & Schafer,
/// *Discrete-Time Signal Processing*, 3rd ed., §7.6.
public enum KaiserWindow {
    /// The shape parameter β that gives a stopband attenuation of `attenuationDecibels`.
    public static func beta(attenuationDecibels: Double) -> Double {
        let attenuation = attenuationDecibels
        if attenuation > 50 { return 0.1102 * (attenuation - 8.7) }
        if attenuation >= 21 {
            return 0.5842 * pow(attenuation - 21, 0.4) + 0.07886 * (attenuation - 21)
        }
        return 0
    }

    /// The filter length (taps) needed for `attenuationDecibels` with a
    /// transition band `transitionWidth` wide, in cycles per sample (0 < width < 0.5).
    public static func length(attenuationDecibels: Double, transitionWidth: Double) -> Int {
        let radians = 2 * Double.pi * transitionWidth
        return Int(((attenuationDecibels - 7.95) / (2.285 * radians)).rounded(.up)) + 1
    }

    /// The window value at `position` in [-1, 1] (0 at the centre).
    public static func value(at position: Double, beta: Double) -> Double {
        let inside = max(0, 1 - position * position)
        return besselI0(beta * inside.squareRoot()) / besselI0(beta)
    }

    /// The zeroth-order modified Bessel function of the first kind, by its power series.
    public static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let halfX = x / 2
        var k = 1.0
        while true {
            term *= (halfX / k) * (halfX / k)
            sum += term
            if term < sum * 1e-17 { break }
            k += 1
        }
        return sum
    }
}
