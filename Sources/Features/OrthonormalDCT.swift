import DSP
import Foundation

/// The type-II discrete cosine transform with orthonormal scaling, keeping
/// the first ``outputCount`` coefficients.
///
/// `y[k] = s(k) · Σₙ x[n] · cos(π k (2n + 1) / 2N)` with `s(0) = √(1/N)` and
/// `s(k) = √(2/N)` otherwise: equivalent to
/// `scipy.fftpack.dct(x, type=2, norm="ortho")[:outputCount]` (aubio's
/// `dct.c` states the same equivalence). The basis is built once; each
/// transform is `outputCount` dot products.
struct OrthonormalDCT: Sendable {
    /// Length `N` of the input.
    let inputCount: Int
    /// Coefficients computed, in `1...inputCount`.
    let outputCount: Int
    /// Row-major `outputCount × inputCount` basis.
    private let basis: [Float]

    /// Builds the basis.
    ///
    /// - Parameters:
    ///   - inputCount: input length `N`, ≥ 1.
    ///   - outputCount: leading coefficients kept, in `1...inputCount`.
    /// - Complexity: O(`outputCount` × `inputCount`).
    init(inputCount: Int, outputCount: Int) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        var basis = [Float](repeating: 0, count: outputCount * inputCount)
        let count = Double(inputCount)
        for coefficient in 0..<outputCount {
            let scale = coefficient == 0 ? (1 / count).squareRoot() : (2 / count).squareRoot()
            for index in 0..<inputCount {
                let angle = Double.pi * Double(coefficient) * (2 * Double(index) + 1) / (2 * count)
                basis[coefficient * inputCount + index] = Float(scale * cos(angle))
            }
        }
        self.basis = basis
    }

    /// Writes the first ``outputCount`` coefficients of `input` to `output`.
    ///
    /// - Parameters:
    ///   - input: ``inputCount`` values.
    ///   - output: room for ``outputCount`` values.
    /// - Complexity: O(`outputCount` × `inputCount`).
    func apply(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        basis.withUnsafeBufferPointer { basis in
            for coefficient in 0..<outputCount {
                output[coefficient] = VectorKernels.dot(
                    basis.baseAddress! + coefficient * inputCount, input, count: inputCount)
            }
        }
    }
}
