internal import CFFTW
import Foundation

/// A planned real-to-complex FFT of one size, with its own aligned buffers.
///
/// Wraps FFTW's single-precision `fftwf_plan_dft_r2c_1d`. The plan is made
/// once in `init` (under a process-wide lock: the FFTW planner is not
/// thread-safe) and destroyed in `deinit`; every ``transform()`` reuses it and
/// its buffers, so a frame costs no allocation. One instance serves one thread.
///
/// Plans use `FFTW_ESTIMATE`, which picks the same algorithm on every run, so
/// features are bit-for-bit reproducible across runs and machines of one kind.
final class FFTPlan {
    /// Transform length in samples.
    let size: Int
    /// Number of complex outputs, `size / 2 + 1`.
    let binCount: Int
    /// The input: fill `size` samples, then call ``transform()``.
    let input: UnsafeMutablePointer<Float>
    /// The output: `binCount` interleaved (real, imaginary) pairs.
    let output: UnsafeMutablePointer<Float>
    private let complexOutput: UnsafeMutablePointer<fftwf_complex>
    private let plan: fftwf_plan

    private static let plannerLock = NSLock()
    /// Tells FFTW, once per process, that plans may be created from several threads.
    private static let threadSafePlanner: Void = { fftwf_make_planner_thread_safe() }()

    /// Plans a transform of `size` samples (> 0; even sizes are fastest).
    init(size: Int) {
        precondition(size > 0, "FFT size=\(size) must be positive")
        self.size = size
        binCount = size / 2 + 1
        input = fftwf_alloc_real(size)!
        complexOutput = fftwf_alloc_complex(binCount)!
        output = UnsafeMutableRawPointer(complexOutput).bindMemory(to: Float.self, capacity: 2 * binCount)
        input.initialize(repeating: 0, count: size)
        output.initialize(repeating: 0, count: 2 * binCount)
        _ = Self.threadSafePlanner
        Self.plannerLock.lock()
        plan = fftwf_plan_dft_r2c_1d(Int32(size), input, complexOutput, FFTW_ESTIMATE)!
        Self.plannerLock.unlock()
    }

    deinit {
        Self.plannerLock.lock()
        fftwf_destroy_plan(plan)
        Self.plannerLock.unlock()
        fftwf_free(input)
        fftwf_free(complexOutput)
    }

    /// Transforms ``input`` into ``output``.
    func transform() {
        fftwf_execute(plan)
    }
}
