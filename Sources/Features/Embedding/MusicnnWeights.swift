/// The 64 tensors of one musicnn model, ready for ``EmbeddingExtractor``.
///
/// Names and shapes are those of the TensorFlow 1 checkpoint in the musicnn
/// 0.1.0 wheel (`musicnn/models.py`, `build_musicnn` with 64 mid-end filters
/// and 200 back-end units): kernels in TensorFlow's layout, convolutions
/// `[time, frequency, in, out]` and dense layers `[in, out]`. Made by
/// ``ModelStore/loadWeights(_:)`` from a weights file, or by
/// ``ModelStore/install(wheel:)`` from the wheel's checkpoint; always
/// validated against ``MusicnnWeights/layout``.
public struct MusicnnWeights: Sendable, Equatable {
    /// One named tensor: shape in TensorFlow's order, values row-major.
    public struct Tensor: Sendable, Equatable {
        public var shape: [Int]
        public var values: [Float]

        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }
    }

    /// The model these weights are for.
    public let model: MusicnnModel
    /// The licence notice the weights are distributed under (musicnn's ISC licence).
    public let licence: String
    /// Tensors by checkpoint name, exactly ``layout``'s names and shapes.
    public let tensors: [String: Tensor]

    /// Weights from named tensors, checked against ``layout``.
    ///
    /// - Parameters:
    ///   - model: the model they are for.
    ///   - licence: the licence notice to carry along.
    ///   - tensors: at least ``layout``'s tensors with their shapes; extra ones are dropped.
    /// - Throws: a one-line description of the first missing or misshapen tensor.
    init(model: MusicnnModel, licence: String, tensors: [String: Tensor]) throws(LayoutError) {
        var kept: [String: Tensor] = [:]
        for (name, shape) in Self.layout {
            guard let tensor = tensors[name] else { throw LayoutError(description: "tensor \(name) is missing") }
            guard tensor.shape == shape, tensor.values.count == shape.reduce(1, *) else {
                throw LayoutError(description: "tensor \(name) has shape \(tensor.shape), expected \(shape)")
            }
            kept[name] = tensor
        }
        self.model = model
        self.licence = licence
        self.tensors = kept
    }

    /// A weights layout problem, as one line.
    struct LayoutError: Error, CustomStringConvertible {
        var description: String
    }

    /// Values of `name`, which must be one of ``layout``'s names.
    func values(_ name: String) -> [Float] {
        tensors[name]!.values
    }

    /// Every tensor the network uses, in a fixed order, with its shape: the
    /// checkpoint's variables without the Adam slots and `beta1_power`/`beta2_power`.
    public static let layout: [(name: String, shape: [Int])] = {
        var layout: [(String, [Int])] = []
        func batchNorm(_ index: Int, _ width: Int) {
            let name = index == 0 ? "batch_normalization" : "batch_normalization_\(index)"
            for part in ["beta", "gamma", "moving_mean", "moving_variance"] { layout.append(("\(name)/\(part)", [width])) }
        }
        func conv(_ index: Int, _ shape: [Int]) {
            let name = index == 0 ? "conv2d" : "conv2d_\(index)"
            layout.append(("\(name)/kernel", shape))
            layout.append(("\(name)/bias", [shape[3]]))
        }
        batchNorm(0, 1)
        conv(0, [7, 38, 1, 204]); batchNorm(1, 204)
        conv(1, [7, 67, 1, 204]); batchNorm(2, 204)
        conv(2, [128, 1, 1, 51]); batchNorm(3, 51)
        conv(3, [64, 1, 1, 51]); batchNorm(4, 51)
        conv(4, [32, 1, 1, 51]); batchNorm(5, 51)
        conv(5, [7, 561, 1, 64]); batchNorm(6, 64)
        conv(6, [7, 64, 1, 64]); batchNorm(7, 64)
        conv(7, [7, 64, 1, 64]); batchNorm(8, 64)
        batchNorm(9, 1506)
        layout.append(("dense/kernel", [1506, 200])); layout.append(("dense/bias", [200]))
        batchNorm(10, 200)
        layout.append(("dense_1/kernel", [200, 50])); layout.append(("dense_1/bias", [50]))
        return layout
    }()

    /// Floats in all the tensors (792,079).
    public static var parameterCount: Int { layout.reduce(0) { $0 + $1.shape.reduce(1, *) } }
}
