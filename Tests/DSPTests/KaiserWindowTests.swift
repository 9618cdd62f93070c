import DSP
import TestSupport
import XCTest

/// The Kaiser window and its design rules against SciPy.
///
/// Reference values were made with SciPy 1.17.1 and NumPy 2.4.6 (Python 3):
/// `scipy.signal.windows.kaiser(M, beta, sym=True)`, `scipy.special.i0(x)`,
/// `scipy.signal.kaiser_beta(a)` and `scipy.signal.kaiserord(a, width)`,
/// printed with `repr(float(v))`.
final class KaiserWindowTests: XCTestCase {
    /// `scipy.special.i0(x)` for x in 0, 0.5, 1, 2.5, 5, 10, 20, 50.
    static let besselI0Reference: [(x: Double, value: Double)] = [
        (0, 1.0),
        (0.5, 1.0634833707413234),
        (1, 1.2660658777520082),
        (2.5, 3.289839144050123),
        (5, 27.239871823604442),
        (10, 2815.716628466254),
        (20, 43558282.559553534),
        (50, 2.9325537838493355e+20),
    ]

    func testBesselI0MatchesSciPy() {
        for (x, expected) in Self.besselI0Reference {
            assertClose(KaiserWindow.besselI0(x), expected, tolerance: 1e-14 * expected, "I0(\(x))")
            assertClose(KaiserWindow.besselI0(-x), expected, tolerance: 1e-14 * expected, "I0(-\(x)) is even")
        }
    }

    /// `scipy.signal.windows.kaiser(M, beta, sym=True)`; sample n sits at
    /// position `2n / (M - 1) - 1` in [-1, 1].
    func testWindowMatchesSciPyKaiser() {
        let references: [(beta: Double, values: [Double])] = [
            // kaiser(9, 5.0): odd length, the centre sample is exactly 1.
            (5.0, [0.036710892271286676, 0.23054433409868888, 0.5528517696991324, 0.868017159478478, 1.0,
                   0.868017159478478, 0.5528517696991324, 0.23054433409868888, 0.036710892271286676]),
            // kaiser(8, 8.6): even length, no sample at the centre.
            (8.6, [0.0013325139979024198, 0.09113651292826536, 0.45964377459338085, 0.9204615832581574,
                   0.9204615832581574, 0.45964377459338085, 0.09113651292826536, 0.0013325139979024198]),
        ]
        for (beta, values) in references {
            let last = Double(values.count - 1)
            for (n, expected) in values.enumerated() {
                let position = 2 * Double(n) / last - 1
                assertClose(KaiserWindow.value(at: position, beta: beta), expected, tolerance: 1e-14,
                            "kaiser(\(values.count), \(beta))[\(n)]")
            }
        }
    }

    /// Analytic properties: 1 at the centre, 1/I0(β) at the ends, symmetric,
    /// and β = 0 is rectangular.
    func testWindowAnalyticValues() {
        for beta in [0.0, 1, 5, 8.6, 14] {
            assertClose(KaiserWindow.value(at: 0, beta: beta), 1, tolerance: 0, "centre, β=\(beta)")
            let end = 1 / KaiserWindow.besselI0(beta)
            assertClose(KaiserWindow.value(at: 1, beta: beta), end, tolerance: 1e-15, "end, β=\(beta)")
            assertClose(KaiserWindow.value(at: -1, beta: beta), end, tolerance: 1e-15, "start, β=\(beta)")
            for position in stride(from: 0.05, through: 0.95, by: 0.1) {
                XCTAssertEqual(KaiserWindow.value(at: position, beta: beta), KaiserWindow.value(at: -position, beta: beta),
                               "symmetric at \(position), β=\(beta)")
            }
        }
        for position in stride(from: -1.0, through: 1.0, by: 0.25) {
            XCTAssertEqual(KaiserWindow.value(at: position, beta: 0), 1, "β = 0 is rectangular")
        }
    }

    /// `scipy.signal.kaiser_beta(a)`, including both branch edges (21 and 50 dB).
    func testBetaMatchesSciPyKaiserBeta() {
        let references: [(attenuation: Double, beta: Double)] = [
            (10, 0.0), (21, 0.0), (30, 2.1166248611409806), (50, 4.533514120981248), (60, 5.65326), (100, 10.06126),
        ]
        for (attenuation, expected) in references {
            assertClose(KaiserWindow.beta(attenuationDecibels: attenuation), expected, tolerance: 1e-12,
                        "β for \(attenuation) dB")
        }
    }

    /// `scipy.signal.kaiserord(a, width)`, whose `width` is a fraction of
    /// Nyquist: our transition width in cycles per sample is half of it.
    func testLengthMatchesSciPyKaiserord() {
        let references: [(attenuation: Double, nyquistWidth: Double, taps: Int)] = [
            (60, 0.1, 74), (80, 0.05, 202), (40, 0.2, 24), (96, 0.02, 615),
        ]
        for (attenuation, nyquistWidth, taps) in references {
            XCTAssertEqual(KaiserWindow.length(attenuationDecibels: attenuation, transitionWidth: nyquistWidth / 2), taps,
                           "kaiserord(\(attenuation), \(nyquistWidth))")
        }
    }
}
