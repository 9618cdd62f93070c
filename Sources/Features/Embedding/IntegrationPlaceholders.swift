// TEMPORARY: stand-ins for the emb-core branch's types so the integration
// compiles before that branch is merged. Deleted at the merge.
import AudioDecoding
import Foundation

public final class MusicnnWeights: Sendable {
    public let model: MusicnnModel
    init(model: MusicnnModel) { self.model = model }
}

public final class EmbeddingExtractor {
    public let model: MusicnnModel
    public let patchBudget: PatchBudget
    public init(weights: MusicnnWeights, patchBudget: PatchBudget = .default) {
        model = weights.model
        self.patchBudget = patchBudget
    }
}

public enum ModelError: Error, CustomStringConvertible {
    case notInstalled(model: MusicnnModel, directory: String)
    public var description: String {
        switch self {
        case let .notInstalled(model, directory): "\(model.identifier) is not installed in \(directory)"
        }
    }
}

public struct ModelStore: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        URL(fileURLWithPath: "/nonexistent")
    }
    public func isInstalled(_ model: MusicnnModel) -> Bool { false }
    public func loadWeights(_ model: MusicnnModel) throws(ModelError) -> MusicnnWeights {
        throw .notInstalled(model: model, directory: directory.path)
    }
}

extension FeatureExtractor {
    public func summarize(path: String, decodeOptions: DecodeOptions, embedding: EmbeddingExtractor?) throws -> TrackFeatures {
        try summarize(path: path, decodeOptions: decodeOptions)
    }
    public func embed(path: String, decodeOptions: DecodeOptions, using extractor: EmbeddingExtractor) throws
        -> (info: AudioFileInfo, embedding: SongEmbedding)
    {
        throw DecodingError.invalidParameter("placeholder")
    }
}
