import AudioDecoding
import Foundation

/// Computes a track's musicnn embedding and tag probabilities, in Swift.
///
/// The front end takes the analysis-rate (22,050 Hz) mono stream, resamples
/// it to 16 kHz with a steep anti-aliasing filter (``Resampler/Quality/steep``,
/// like the soxr "HQ" resampling librosa uses by default: a weak filter moves
/// tag probabilities by up to 0.15), and computes the 96-band log-mel
/// spectrogram (``LogMelFrontEnd``). Whole 187-frame patches (2.992 s, no
/// overlap) chosen by the ``PatchBudget`` go through ``MusicnnNetwork`` in
/// batches; the embedding is the mean of the patches' penultimate layer, the
/// tag probabilities the mean of their sigmoid outputs. A track shorter than
/// one patch gets one zero-padded patch (`isPadded`).
///
/// Streaming: patch positions are chosen from the expected length (the
/// header's duration), and only the chosen patches' frames are kept, in the
/// network's batch buffer; memory does not grow with the length of the track.
/// Only the stretches of the 16 kHz signal that chosen patches read are
/// resampled and transformed (and everything before the first chosen patch,
/// so that if the header's length was wrong and no chosen patch was reached,
/// the last whole patch is at hand and used).
///
/// One extractor owns its FFT plan, network buffers (about 10 MB) and
/// resampler; it serves one thread at a time: make one per worker.
///
/// An extractor of several networks (a fused ``EmbeddingModel``) computes the
/// front end once per patch and feeds the same log-mel patch to each network.
/// It runs every network through ``EmbeddingNetwork`` and
/// ``EmbeddingForwardPass``: musicnn's (``MusicnnWeights``) or any other
/// architecture's (``init(networks:patchBudget:)``).
public final class EmbeddingExtractor {
    /// The (first) network it runs.
    public var model: EmbeddingNetworkIdentity { models[0] }
    /// Every network it runs, in order.
    public let models: [EmbeddingNetworkIdentity]
    /// Which patches are run.
    public let patchBudget: PatchBudget
    /// The rate the samples given to it must have (the analysis rate, 22,050 Hz).
    public let inputSampleRate = AnalysisRate.sampleRate

    /// Every network's forward pass, in ``models`` order, and the first of them.
    let networks: [any EmbeddingForwardPass]
    let network: any EmbeddingForwardPass
    var frontEnd = LogMelFrontEnd()
    /// A designed, unused resampler; each track starts from a copy (the
    /// coefficients are shared, not designed again).
    let resamplerTemplate: Resampler

    /// Prepares the network and front end.
    ///
    /// - Parameters:
    ///   - weights: from ``ModelStore/loadWeights(_:)``.
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    /// - Complexity: allocates about 10 MB and designs an 80,000-tap filter (a few milliseconds).
    public convenience init(weights: MusicnnWeights, patchBudget: PatchBudget = .default) {
        self.init(weights: weights, alongside: [], patchBudget: patchBudget)
    }

    /// Prepares several networks that share one front end (a fused ``EmbeddingModel``).
    ///
    /// - Parameters:
    ///   - weights: the first network's weights.
    ///   - others: the other networks' weights, in order; each reads the same log-mel patches.
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    /// - Complexity: allocates about 10 MB per network.
    public convenience init(weights: MusicnnWeights, alongside others: [MusicnnWeights], patchBudget: PatchBudget = .default) {
        self.init(parts: [weights] + others, patchBudget: patchBudget)
    }

    /// Prepares networks of any architecture that share one front end, in order.
    ///
    /// - Parameters:
    ///   - networks: loaded networks (``EmbeddingNetwork/load(_:from:)``), at least one; each must read
    ///     the shared front end's patches (``EmbeddingNetworkIdentity/readsSharedFrontEnd``).
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    /// - Throws: ``EmbeddingNetworkMismatch`` naming the first network of another input rate or patch shape,
    ///   or when `networks` is empty.
    public convenience init(networks: [any EmbeddingNetwork], patchBudget: PatchBudget = .default)
        throws(EmbeddingNetworkMismatch) {
        self.init(networks: try RunnableEmbeddingNetworks(networks), patchBudget: patchBudget)
    }

    /// An extractor of networks already checked to run together on the shared front end.
    ///
    /// - Parameters:
    ///   - networks: the loaded networks, in output order.
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    public convenience init(networks: RunnableEmbeddingNetworks, patchBudget: PatchBudget = .default) {
        self.init(parts: networks.networks, patchBudget: patchBudget)
    }

    /// Prepares `parts`, which are not empty and all read the shared front end.
    private init(parts: [any EmbeddingNetwork], patchBudget: PatchBudget) {
        models = parts.map(\.identity)
        self.patchBudget = patchBudget
        let capacity: Int
        switch patchBudget {
        case .all: capacity = 8
        case .evenlySpaced(let count): capacity = min(max(count, 1), 8)
        }
        networks = parts.map { $0.makeForwardPass(batchCapacity: capacity) }
        network = networks[0]
        resamplerTemplate = Resampler(inputRate: AnalysisRate.sampleRate, outputRate: LogMelFrontEnd.configuration.sampleRate,
                                      quality: .steep)
    }

    /// The embedding of mono samples at 22,050 Hz, all in memory (for tests and short signals).
    ///
    /// - Parameter samples22050: mono samples at ``inputSampleRate``; any length, even empty.
    /// - Returns: the embedding under ``patchBudget``, patches chosen from the exact length.
    public func embed(samples22050: [Float]) -> SongEmbedding {
        embedAll(samples22050: samples22050)[0]
    }

    /// Every network's embedding of mono samples at 22,050 Hz, in ``models`` order (one front end for all).
    public func embedAll(samples22050: [Float]) -> [SongEmbedding] {
        var session = EmbeddingSession(extractor: self, expectedInputSamples: samples22050.count)
        samples22050.withUnsafeBufferPointer { session.add($0) }
        return session.finishAll()
    }

    /// The embeddings and tag probabilities of log-mel patches, one row each
    /// (no averaging): for tests against the reference per patch and for benchmarks.
    ///
    /// - Parameter patches: each 187 × 96 values (time-major), as ``logMelSpectrogram(samples22050:)`` gives.
    /// - Returns: per patch, the first network's embedding values (200 for musicnn) and tag probabilities (50).
    /// - Complexity: 2.8 GFLOP per patch, run in batches of up to 8.
    public func embed(patches: [[Float]]) -> [(embedding: [Float], tags: [Float])] {
        var results: [(embedding: [Float], tags: [Float])] = []
        var start = 0
        while start < patches.count {
            let count = min(network.batchCapacity, patches.count - start)
            for index in 0..<count {
                let patch = patches[start + index]
                precondition(patch.count == MusicnnNetwork.frames * MusicnnNetwork.melBands)
                (network.input + index * patch.count).update(from: patch, count: patch.count)
            }
            network.run(count: count)
            for index in 0..<count {
                let width = model.dimension, tags = model.tags.count
                results.append((Array(UnsafeBufferPointer(start: network.embeddings + index * width, count: width)),
                                Array(UnsafeBufferPointer(start: network.tagProbabilities + index * tags, count: tags))))
            }
            start += count
        }
        return results
    }

    /// The whole log-mel spectrogram of 22,050 Hz samples (frames × 96, the network's
    /// input), for front-end tests and benchmarks; analysis streams instead.
    public func logMelSpectrogram(samples22050: [Float]) -> [[Float]] {
        var resampler = resamplerTemplate
        var samples16k: [Float] = []
        samples22050.withUnsafeBufferPointer { resampler.process($0, into: &samples16k) }
        resampler.finish(into: &samples16k)
        var framer = CenteredFramer(configuration: LogMelFrontEnd.configuration)
        var rows: [[Float]] = []
        var row = [Float](repeating: 0, count: LogMelFrontEnd.melBandCount)
        let emit: (UnsafePointer<Float>, Range<Int>) -> Void = { frame, _ in
            row.withUnsafeMutableBufferPointer { self.frontEnd.transform(frame: frame, into: $0.baseAddress!) }
            rows.append(row)
        }
        samples16k.withUnsafeBufferPointer { framer.append($0, emit: emit) }
        framer.finish(emit: emit)
        return rows
    }
}

/// One track's pass through an ``EmbeddingExtractor``: feed blocks of
/// 22,050 Hz samples with ``add(_:)``, then ``finish()``.
struct EmbeddingSession {
    private let extractor: EmbeddingExtractor
    private var resampler: Resampler
    private var framer = CenteredFramer(configuration: LogMelFrontEnd.configuration)
    private var plan: PatchPlan
    private var resampled: [Float] = []
    /// Log-mel frames seen so far.
    private var frameIndex = 0
    /// Patches waiting in the network's input buffer.
    private var batchFill = 0
    /// Patches run so far, and per network the sums of their outputs.
    private var patchCount = 0
    private var embeddingSums: [[Double]]
    private var tagSums: [[Double]]
    /// The two most recent grid patches, by parity, for the fallback when no chosen patch was reached.
    private var recent: [[Float]]
    /// The 16 kHz sample ranges the computed frames need (nil: all), and the first not yet passed.
    private let neededSamples: [Range<Int>]?
    private var neededIndex = 0
    /// Samples given to the framer so far (resampled, or zeros for skipped ones).
    private var framedSamples = 0
    private let zeros = [Float](repeating: 0, count: 4096)

    /// Starts a track.
    ///
    /// - Parameters:
    ///   - extractor: the extractor whose network and front end are used.
    ///   - expectedInputSamples: the track's expected length in 22,050 Hz samples (nil if unknown: every patch is run).
    init(extractor: EmbeddingExtractor, expectedInputSamples: Int?) {
        self.extractor = extractor
        resampler = extractor.resamplerTemplate
        let budget: PatchBudget
        var expectedPatches = 0
        if let samples = expectedInputSamples {
            budget = extractor.patchBudget
            let samples16k = Int((Double(samples) * 16000 / Double(AnalysisRate.sampleRate)).rounded(.up))
            expectedPatches = PatchPlan.wholePatches(frames: PatchPlan.frames(samples16k: samples16k))
        } else {
            budget = .all
        }
        plan = PatchPlan(budget: budget, expectedPatches: expectedPatches)
        neededSamples = plan.neededSamples
        embeddingSums = extractor.models.map { [Double](repeating: 0, count: $0.dimension) }
        tagSums = extractor.models.map { [Double](repeating: 0, count: $0.tags.count) }
        let patchSize = MusicnnNetwork.frames * MusicnnNetwork.melBands
        recent = [[Float](repeating: 0, count: patchSize), [Float](repeating: 0, count: patchSize)]
        resampled.reserveCapacity(16384)
    }

    /// Adds a block of mono samples at 22,050 Hz.
    mutating func add(_ block: UnsafeBufferPointer<Float>) {
        skipUnneededSamples()
        let first = resampler.nextOutputIndex
        resampled.removeAll(keepingCapacity: true)
        resampler.process(block, into: &resampled)
        if !resampled.isEmpty {
            frameZeros(upTo: first)
            frame(resampled)
        }
    }

    /// When the next 16 kHz samples feed no computed frame, tells the
    /// resampler to skip to the next range that does (or past the end).
    private mutating func skipUnneededSamples() {
        guard let needed = neededSamples else { return }
        let next = resampler.nextOutputIndex
        while neededIndex < needed.count && needed[neededIndex].upperBound <= next { neededIndex += 1 }
        if neededIndex == needed.count {
            resampler.skipOutputs(to: Int.max / 4)
        } else if needed[neededIndex].lowerBound > next {
            resampler.skipOutputs(to: needed[neededIndex].lowerBound)
        }
    }

    /// Gives the framer zeros for skipped samples up to `index` (their frames are not computed).
    private mutating func frameZeros(upTo index: Int) {
        while framedSamples < index {
            let count = min(index - framedSamples, zeros.count)
            frame(Array(zeros[0..<count]))
        }
    }

    private mutating func frame(_ samples: [Float]) {
        var framer = self.framer
        samples.withUnsafeBufferPointer { samples in
            framer.append(samples) { frame, _ in self.take(frame: frame) }
        }
        self.framer = framer
        framedSamples += samples.count
    }

    /// Computes one frame's log-mel values where they are needed.
    private mutating func take(frame: UnsafePointer<Float>) {
        let bands = MusicnnNetwork.melBands
        let patch = frameIndex / MusicnnNetwork.frames
        let row = frameIndex % MusicnnNetwork.frames
        let network = extractor.network
        guard plan.computes(patch) else {
            frameIndex += 1
            return
        }
        recent[patch % 2].withUnsafeMutableBufferPointer { recent in
            extractor.frontEnd.transform(frame: frame, into: recent.baseAddress! + row * bands)
            if plan.includes(patch) {
                for network in extractor.networks {
                    (network.input + (batchFill * MusicnnNetwork.frames + row) * bands)
                        .update(from: recent.baseAddress! + row * bands, count: bands)
                }
            }
        }
        frameIndex += 1
        if row == MusicnnNetwork.frames - 1 && plan.includes(patch) {
            batchFill += 1
            if batchFill == network.batchCapacity { runBatch() }
        }
    }

    /// Runs the patches waiting in the batch and adds their outputs to the sums.
    private mutating func runBatch() {
        guard batchFill > 0 else { return }
        for (part, network) in extractor.networks.enumerated() {
            network.run(count: batchFill)
            let width = embeddingSums[part].count, tags = tagSums[part].count
            for patch in 0..<batchFill {
                for unit in 0..<width { embeddingSums[part][unit] += Double(network.embeddings[patch * width + unit]) }
                for tag in 0..<tags { tagSums[part][tag] += Double(network.tagProbabilities[patch * tags + tag]) }
            }
        }
        patchCount += batchFill
        batchFill = 0
    }

    /// Flushes the resampler and framer, runs what is left, and returns the first network's mean embedding.
    mutating func finish() -> SongEmbedding { finishAll()[0] }

    /// Flushes the resampler and framer, runs what is left, and returns every network's mean embedding.
    mutating func finishAll() -> [SongEmbedding] {
        let first = resampler.nextOutputIndex
        resampled.removeAll(keepingCapacity: true)
        resampler.finish(into: &resampled)
        if !resampled.isEmpty {
            frameZeros(upTo: first)
            frame(resampled)
        }
        frameZeros(upTo: resampler.totalOutputCount)
        var framer = self.framer
        framer.finish { frame, _ in self.take(frame: frame) }
        self.framer = framer
        runBatch()
        var padded = false
        if patchCount == 0 {
            // No chosen patch was reached: a track shorter than one patch
            // (zero-padded), or a header that promised more than there was.
            let whole = PatchPlan.wholePatches(frames: frameIndex)
            let patchSize = MusicnnNetwork.frames * MusicnnNetwork.melBands
            for network in extractor.networks {
                if whole == 0 {
                    padded = true
                    network.input.update(repeating: 0, count: patchSize)
                    let real = frameIndex * MusicnnNetwork.melBands
                    recent[0].withUnsafeBufferPointer { network.input.update(from: $0.baseAddress!, count: real) }
                } else {
                    recent[(whole - 1) % 2].withUnsafeBufferPointer { network.input.update(from: $0.baseAddress!, count: patchSize) }
                }
            }
            batchFill = 1
            runBatch()
        }
        let scale = 1 / Double(patchCount)
        return extractor.models.indices.map { part in
            SongEmbedding(
                model: extractor.models[part], version: extractor.models[part].version,
                values: embeddingSums[part].map { Float($0 * scale) },
                tagProbabilities: tagSums[part].map { Float($0 * scale) },
                patchCount: patchCount, isPadded: padded, patchBudget: extractor.patchBudget)
        }
    }
}
