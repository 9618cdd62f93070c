internal import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The musicnn network (Pons and Serra, 2019) for inference, on batches of
/// log-mel patches, with every convolution as `cblas_sgemm`.
///
/// Reproduces `build_musicnn` of `musicnn/models.py` (musicnn 0.1.0) with
/// `is_training=False`; the layer table is in `../shared/design/musicnn.md`
/// and `docs/ARCHITECTURE.md`:
///
/// 0. batch norm of the one input channel;
/// 1. timbral A: time padded 3+3, conv 7×38 valid (204 filters), ReLU, batch
///    norm, max over frequency; 2. timbral B: the same with 7×67;
/// 3–5. temporal: conv 128×1, 64×1, 32×1 with "same" padding (63/64, 31/32,
///    15/16), 51 filters each, ReLU, batch norm, max over frequency;
/// 6. concatenation (187×561); 7–9. mid-end: three width-7 convolutions to
///    64 filters with time padding 3+3, ReLU, batch norm, the second and
///    third with residual connections; 10. concatenation (187×753);
/// 11. max and mean over time, interleaved (max₀, mean₀, max₁, …);
/// 12. batch norm; 13. dense to 200, ReLU, batch norm: the embedding;
/// 14. dense to 50, sigmoid: the tag probabilities.
///
/// Batch norm is the inference form `(x − mean) / √(variance + 0.001) · γ + β`.
/// Because ReLU and batch norm act on each value alone and are monotonic,
/// the max over frequency is taken on the raw convolution output (its min
/// too, for channels whose batch-norm scale is negative) and ReLU and batch
/// norm are applied to the pooled value only: the same numbers, 59–96 times
/// fewer operations.
///
/// Memory: every buffer is allocated once, in `init`, for up to
/// ``batchCapacity`` patches; about 10 MB for a batch of 8. Not thread-safe:
/// one network per worker thread. BLAS runs single-threaded (see ``BLASThreads``).
///
/// - Complexity: about 1.4 G multiply-adds per patch (2.8 GFLOP), 81 % in layers 1–2.
final class MusicnnNetwork {
    static let frames = 187
    static let melBands = 96
    static let batchNormEpsilon: Float = 0.001
    /// Patches one call of ``run(count:)`` takes at most.
    let batchCapacity: Int

    // Shapes.
    private static let timbralWidths = [38, 67]
    private static let timbralFilters = 204
    private static let temporalLengths = [128, 64, 32]
    private static let temporalFilters = 51
    private static let frontWidth = 561           // 2·204 + 3·51
    private static let midFilters = 64
    private static let featureWidth = 753         // 561 + 3·64
    private static let pooledWidth = 1506
    private static let embeddingWidth = 200
    private static let tagCount = 50
    /// Padded rows per patch in the mid-end buffers: 3 zero rows before and after.
    private static let paddedFrames = frames + 6
    /// Zero rows before and after a patch's normalised input (the largest "same" padding, 64).
    private static let inputPadding = 64
    /// Output time rows of a timbral convolution computed per GEMM.
    private static let timeChunk = 32

    // Weights, rearranged for the GEMMs.
    private let inputScale: Float, inputShift: Float
    private let timbralKernels: [[Float]]            // [7·width × 204]
    private let timbralBias: [[Float]]
    private let timbralNorm: [(scale: [Float], shift: [Float])]
    private let temporalKernels: [[Float]]           // [length × 51]
    private let temporalBias: [[Float]]
    private let temporalNorm: [(scale: [Float], shift: [Float])]
    private let midKernels: [[Float]]                // [7 × in × 64]
    private let midBias: [[Float]]
    private let midNorm: [(scale: [Float], shift: [Float])]
    private let poolNorm: (scale: [Float], shift: [Float])
    private let denseKernel: [Float], denseBias: [Float]
    private let denseNorm: (scale: [Float], shift: [Float])
    private let outputKernel: [Float], outputBias: [Float]

    // Buffers, allocated once.
    /// The batch's log-mel patches, [batch × 187 × 96]; the caller fills it.
    let input: UnsafeMutablePointer<Float>
    /// Layer-13 outputs, [batch × 200], after ``run(count:)``.
    let embeddings: UnsafeMutablePointer<Float>
    /// Tag probabilities, [batch × 50], after ``run(count:)``.
    let tagProbabilities: UnsafeMutablePointer<Float>
    private let normalized: UnsafeMutablePointer<Float>      // [(64 + 187 + 64) × 96]
    private let columns: UnsafeMutablePointer<Float>         // im2col chunk
    private let products: UnsafeMutablePointer<Float>        // GEMM output chunk
    private let features: UnsafeMutablePointer<Float>        // [batch × 193 × 753]: front end | mid 1 | mid 2 | mid 3
    private let midProducts: UnsafeMutablePointer<Float>     // [batch × 193 × 64]
    private let pooled: UnsafeMutablePointer<Float>          // [batch × 1506]
    private let logits: UnsafeMutablePointer<Float>          // [batch × 50]
    private let poolLargest: UnsafeMutablePointer<Float>     // [204] running max of ``pool``
    private let poolSmallest: UnsafeMutablePointer<Float>    // [204] running min of ``pool``
    private var allocations: [(UnsafeMutablePointer<Float>, Int)] = []

    /// Prepares the weights and allocates the buffers.
    ///
    /// - Parameters:
    ///   - weights: checked weights of either model.
    ///   - batchCapacity: patches per batch, ≥ 1.
    init(weights: MusicnnWeights, batchCapacity: Int) {
        precondition(batchCapacity >= 1)
        BLASThreads.useOneThread()
        self.batchCapacity = batchCapacity
        func norm(_ index: Int) -> (scale: [Float], shift: [Float]) {
            let name = index == 0 ? "batch_normalization" : "batch_normalization_\(index)"
            let gamma = weights.values("\(name)/gamma"), beta = weights.values("\(name)/beta")
            let mean = weights.values("\(name)/moving_mean"), variance = weights.values("\(name)/moving_variance")
            let scale = gamma.indices.map { gamma[$0] / (variance[$0] + Self.batchNormEpsilon).squareRoot() }
            return (scale, scale.indices.map { beta[$0] - mean[$0] * scale[$0] })
        }
        func conv(_ index: Int) -> String { index == 0 ? "conv2d" : "conv2d_\(index)" }
        let norm0 = norm(0)
        inputScale = norm0.scale[0]
        inputShift = norm0.shift[0]
        timbralKernels = [weights.values("conv2d/kernel"), weights.values("conv2d_1/kernel")]
        timbralBias = [weights.values("conv2d/bias"), weights.values("conv2d_1/bias")]
        timbralNorm = [norm(1), norm(2)]
        temporalKernels = (2...4).map { weights.values("\(conv($0))/kernel") }
        temporalBias = (2...4).map { weights.values("\(conv($0))/bias") }
        temporalNorm = (3...5).map(norm)
        midKernels = (5...7).map { weights.values("\(conv($0))/kernel") }
        midBias = (5...7).map { weights.values("\(conv($0))/bias") }
        midNorm = (6...8).map(norm)
        poolNorm = norm(9)
        denseKernel = weights.values("dense/kernel")
        denseBias = weights.values("dense/bias")
        denseNorm = norm(10)
        outputKernel = weights.values("dense_1/kernel")
        outputBias = weights.values("dense_1/bias")

        var allocations: [(UnsafeMutablePointer<Float>, Int)] = []
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
            allocations.append((pointer, count))
            return pointer
        }
        let columnCount = Self.timbralWidths.map { Self.timeChunk * (Self.melBands - $0 + 1) * 7 * $0 }.max()!
        let productCount = max(Self.timeChunk * (Self.melBands - 38 + 1) * Self.timbralFilters,
                               Self.melBands * Self.temporalFilters)
        input = buffer(batchCapacity * Self.frames * Self.melBands)
        embeddings = buffer(batchCapacity * Self.embeddingWidth)
        tagProbabilities = buffer(batchCapacity * Self.tagCount)
        normalized = buffer((2 * Self.inputPadding + Self.frames) * Self.melBands)
        columns = buffer(columnCount)
        products = buffer(productCount)
        features = buffer(batchCapacity * Self.paddedFrames * Self.featureWidth)
        midProducts = buffer(batchCapacity * Self.paddedFrames * Self.midFilters)
        pooled = buffer(batchCapacity * Self.pooledWidth)
        logits = buffer(batchCapacity * Self.tagCount)
        poolLargest = buffer(Self.timbralFilters)
        poolSmallest = buffer(Self.timbralFilters)
        self.allocations = allocations
    }

    deinit {
        for (pointer, count) in allocations {
            pointer.deinitialize(count: count)
            pointer.deallocate()
        }
    }

    /// Runs the network on the first `count` patches of ``input``, filling
    /// ``embeddings`` and ``tagProbabilities``.
    ///
    /// - Parameter count: patches, in `1...batchCapacity`.
    func run(count: Int) {
        precondition(count >= 1 && count <= batchCapacity)
        for patch in 0..<count {
            frontEnd(patch: patch)
        }
        midEnd(count: count)
        backEnd(count: count)
    }

    // MARK: Layers 0–5

    /// Layers 0–5 of one patch, into rows 3..<190 of its slice of ``features``, columns 0..<561.
    private func frontEnd(patch: Int) {
        let bands = Self.melBands
        let source = input + patch * Self.frames * bands
        let data = normalized + Self.inputPadding * bands
        for index in 0..<(Self.frames * bands) {
            data[index] = source[index] * inputScale + inputShift
        }
        let target = features + (patch * Self.paddedFrames + 3) * Self.featureWidth
        for layer in 0..<2 { timbral(layer: layer, into: target + layer * Self.timbralFilters) }
        for layer in 0..<3 { temporal(layer: layer, into: target + 2 * Self.timbralFilters + layer * Self.temporalFilters) }
    }

    /// Timbral convolution `layer` (7×38 or 7×67, time padding 3+3), pooled over frequency.
    private func timbral(layer: Int, into target: UnsafeMutablePointer<Float>) {
        let width = Self.timbralWidths[layer]
        let bands = Self.melBands
        let positions = bands - width + 1
        let depth = 7 * width
        let filters = Self.timbralFilters
        let padded = normalized + (Self.inputPadding - 3) * bands
        var start = 0
        while start < Self.frames {
            let times = min(Self.timeChunk, Self.frames - start)
            // im2col: row (t, f), column (dt, df) = padded[t + dt][f + df].
            for t in 0..<times {
                for f in 0..<positions {
                    let row = columns + (t * positions + f) * depth
                    for dt in 0..<7 {
                        (row + dt * width).update(from: padded + (start + t + dt) * bands + f, count: width)
                    }
                }
            }
            timbralKernels[layer].withUnsafeBufferPointer { kernel in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                            Int32(times * positions), Int32(filters), Int32(depth),
                            1, columns, Int32(depth), kernel.baseAddress, Int32(filters),
                            0, products, Int32(filters))
            }
            for t in 0..<times {
                pool(products + t * positions * filters, rows: positions, width: filters,
                     bias: timbralBias[layer], norm: timbralNorm[layer],
                     into: target + (start + t) * Self.featureWidth)
            }
            start += times
        }
    }

    /// Temporal convolution `layer` (128×1, 64×1 or 32×1, "same" padding), pooled over frequency.
    ///
    /// For output frame t, the products over all 96 bands are one GEMM:
    /// `Xᵀ · W`, with X the `length` × 96 block of padded input starting at
    /// frame `t − before`, read in place (no im2col).
    private func temporal(layer: Int, into target: UnsafeMutablePointer<Float>) {
        let length = Self.temporalLengths[layer]
        let before = (length - 1) / 2
        let bands = Self.melBands
        let filters = Self.temporalFilters
        temporalKernels[layer].withUnsafeBufferPointer { kernel in
            for t in 0..<Self.frames {
                let window = normalized + (Self.inputPadding - before + t) * bands
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans,
                            Int32(bands), Int32(filters), Int32(length),
                            1, window, Int32(bands), kernel.baseAddress, Int32(filters),
                            0, products, Int32(filters))
                pool(products, rows: bands, width: filters, bias: temporalBias[layer], norm: temporalNorm[layer],
                     into: target + t * Self.featureWidth)
            }
        }
    }

    /// Max over `rows` rows of `width` raw convolution outputs, then bias,
    /// ReLU and batch norm: equal to pooling after them (min instead of max
    /// where the batch-norm scale is negative).
    private func pool(_ values: UnsafePointer<Float>, rows: Int, width: Int, bias: [Float],
                      norm: (scale: [Float], shift: [Float]), into target: UnsafeMutablePointer<Float>) {
        let largest = poolLargest, smallest = poolSmallest
        largest.update(from: values, count: width)
        smallest.update(from: values, count: width)
        #if DEBUG
        // Unoptimised SIMD is slow: debug builds take the plain loop (the same choices).
        let vectorWidth = 0
        #else
        let vectorWidth = width / 8 * 8
        #endif
        for row in 1..<rows {
            let line = values + row * width
            // Eight channels at a time, with `max`'s and `min`'s tie rules (y >= x ? y : x, y < x ? y : x).
            var channel = 0
            while channel < vectorWidth {
                let value = UnsafeRawPointer(line + channel).loadUnaligned(as: SIMD8<Float>.self)
                let high = UnsafeRawPointer(largest + channel).loadUnaligned(as: SIMD8<Float>.self)
                let low = UnsafeRawPointer(smallest + channel).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(largest + channel)
                    .storeBytes(of: high.replacing(with: value, where: value .>= high), as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(smallest + channel)
                    .storeBytes(of: low.replacing(with: value, where: value .< low), as: SIMD8<Float>.self)
                channel &+= 8
            }
            while channel < width {
                let value = line[channel]
                largest[channel] = max(largest[channel], value)
                smallest[channel] = min(smallest[channel], value)
                channel &+= 1
            }
        }
        bias.withUnsafeBufferPointer { bias in
            norm.scale.withUnsafeBufferPointer { scale in
                norm.shift.withUnsafeBufferPointer { shift in
                    for channel in 0..<width {
                        let chosen = scale[channel] >= 0 ? largest[channel] : smallest[channel]
                        let activated = max(chosen + bias[channel], 0)
                        target[channel] = activated * scale[channel] + shift[channel]
                    }
                }
            }
        }
    }

    // MARK: Layers 7–9

    /// The three mid-end convolutions over the whole batch at once.
    ///
    /// The batch's padded rows are one long sequence; output row r is
    /// Σ_dt rows[r + dt] · W[dt] (seven GEMMs); rows that straddle two
    /// patches are computed and ignored (6 of every 193).
    private func midEnd(count: Int) {
        let rows = count * Self.paddedFrames - 6
        let stride = Self.featureWidth
        let filters = Self.midFilters
        let inputs: [(column: Int, width: Int)] = [(0, Self.frontWidth), (561, filters), (625, filters)]
        for layer in 0..<3 {
            let (column, width) = inputs[layer]
            midKernels[layer].withUnsafeBufferPointer { kernel in
                for dt in 0..<7 {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                                Int32(rows), Int32(filters), Int32(width),
                                1, features + dt * stride + column, Int32(stride),
                                kernel.baseAddress! + dt * width * filters, Int32(filters),
                                dt == 0 ? 0 : 1, midProducts, Int32(filters))
                }
            }
            let bias = midBias[layer], scale = midNorm[layer].scale, shift = midNorm[layer].shift
            let outputColumn = Self.frontWidth + layer * filters
            for patch in 0..<count {
                for t in 0..<Self.frames {
                    let product = midProducts + (patch * Self.paddedFrames + t) * filters
                    let row = features + (patch * Self.paddedFrames + 3 + t) * stride
                    for channel in 0..<filters {
                        var value = max(product[channel] + bias[channel], 0) * scale[channel] + shift[channel]
                        if layer > 0 { value += row[outputColumn - filters + channel] }   // residual
                        row[outputColumn + channel] = value
                    }
                }
            }
        }
    }

    // MARK: Layers 11–14

    private func backEnd(count: Int) {
        let width = Self.featureWidth
        for patch in 0..<count {
            let first = features + (patch * Self.paddedFrames + 3) * width
            let target = pooled + patch * Self.pooledWidth
            for feature in 0..<width {
                var largest = first[feature]
                var total: Float = 0
                for t in 0..<Self.frames {
                    let value = first[t * width + feature]
                    largest = max(largest, value)
                    total += value
                }
                target[2 * feature] = largest
                target[2 * feature + 1] = total / Float(Self.frames)
            }
            for index in 0..<Self.pooledWidth {
                target[index] = target[index] * poolNorm.scale[index] + poolNorm.shift[index]
            }
        }
        denseKernel.withUnsafeBufferPointer { kernel in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                        Int32(count), Int32(Self.embeddingWidth), Int32(Self.pooledWidth),
                        1, pooled, Int32(Self.pooledWidth), kernel.baseAddress, Int32(Self.embeddingWidth),
                        0, embeddings, Int32(Self.embeddingWidth))
        }
        for patch in 0..<count {
            let row = embeddings + patch * Self.embeddingWidth
            for unit in 0..<Self.embeddingWidth {
                row[unit] = max(row[unit] + denseBias[unit], 0) * denseNorm.scale[unit] + denseNorm.shift[unit]
            }
        }
        outputKernel.withUnsafeBufferPointer { kernel in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                        Int32(count), Int32(Self.tagCount), Int32(Self.embeddingWidth),
                        1, embeddings, Int32(Self.embeddingWidth), kernel.baseAddress, Int32(Self.tagCount),
                        0, logits, Int32(Self.tagCount))
        }
        for index in 0..<(count * Self.tagCount) {
            let logit = logits[index] + outputBias[index % Self.tagCount]
            tagProbabilities[index] = 1 / (1 + expf(-logit))
        }
    }
}

/// Keeps OpenBLAS to the calling thread.
///
/// SongAtlas runs one file per worker thread; BLAS threads on top of that
/// would oversubscribe the cores. `openblas_set_num_threads(1)` is called
/// once per process, before the first matrix product, whatever
/// `OPENBLAS_NUM_THREADS` says.
enum BLASThreads {
    private static let once: Void = { openblas_set_num_threads(1) }()

    /// Makes sure OpenBLAS uses one thread.
    static func useOneThread() { _ = once }

    /// The number of threads OpenBLAS now uses.
    static var current: Int { Int(openblas_get_num_threads()) }
}
