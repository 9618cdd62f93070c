import Features
import Foundation
import Library

/// Which learned embedding a job asks for, and where the models are.
public struct EmbeddingRequest: Sendable, Equatable {
    /// The model to run.
    public enum Choice: Sendable, Equatable {
        /// The first model of ``EmbeddingModel/automaticPreference`` whose networks are all installed
        /// (MTT, which measured best on held-out real music, else MSD), else none, with a note.
        case automatic
        /// This model (one of ``EmbeddingModel/registry``); a note when one of its networks is not installed.
        case model(EmbeddingModel)
        /// No embedding: the hand-crafted summary only.
        case none
    }

    public var choice: Choice
    /// Which patches the network runs on.
    public var patchBudget: PatchBudget
    /// The models folder (``ModelStore``).
    public var modelsDirectory: URL

    /// - Parameters:
    ///   - choice: the model; default ``Choice/automatic``.
    ///   - patchBudget: default ``PatchBudget/default``.
    ///   - modelsDirectory: default ``ModelStore/defaultDirectory(environment:)``.
    public init(choice: Choice = .automatic, patchBudget: PatchBudget = .default,
                modelsDirectory: URL = ModelStore.defaultDirectory(environment: ProcessInfo.processInfo.environment)) {
        self.choice = choice
        self.patchBudget = patchBudget
        self.modelsDirectory = modelsDirectory
    }

    /// No embedding.
    public static let none = EmbeddingRequest(choice: .none)

    /// The one line that tells a user how to install the models.
    public static let installHint = "install it with \(ModelError.howToInstall)"
}

/// What ``Atlas/prepareEmbedding(_:)`` found: the loaded model, or why there is none.
public struct PreparedEmbedding: Sendable {
    /// The network's weights and patch budget, ready for every worker; nil for none.
    public var setup: EmbeddingSetup?
    /// One line for the user when the request could not be met (the run goes on without the embedding).
    public var note: String?

    /// The ``FeatureSpace/EmbeddingKey`` of ``setup``.
    public var key: FeatureSpace.EmbeddingKey? {
        setup.map { FeatureSpace.EmbeddingKey(model: $0.model, patchBudget: $0.patchBudget) }
    }
}

extension Atlas {
    /// Loads the model a request names, once, for every worker to share.
    ///
    /// Never fails a run: a model that is not installed, or whose weights file
    /// is truncated, foreign or damaged, gives ``PreparedEmbedding/note``
    /// (naming the file and how to reinstall) and no setup, and the job goes
    /// on with the hand-crafted features.
    public static func prepareEmbedding(_ request: EmbeddingRequest) -> PreparedEmbedding {
        let store = ModelStore(directory: request.modelsDirectory)
        let model: EmbeddingModel
        switch request.choice {
        case .none:
            return PreparedEmbedding(setup: nil, note: nil)
        case .automatic:
            guard let installed = EmbeddingModel.automaticPreference.first(where: {
                $0.parts.allSatisfy { EmbeddingModel.network($0)?.isInstalled(in: store) ?? false }
            }) else {
                return PreparedEmbedding(setup: nil, note: "no embedding model is installed, so songs are compared "
                    + "by their hand-crafted features; \(EmbeddingRequest.installHint)")
            }
            model = installed
        case let .model(chosen):
            model = chosen
        }
        do {
            let networks = try model.parts.map { part throws -> any EmbeddingNetwork in
                guard let registered = EmbeddingModel.network(part) else {
                    throw EmbeddingNetworkMismatch(description: "\(part.identifier) is not a registered embedding network")
                }
                return try registered.load(from: store)
            }
            let setup = EmbeddingSetup(model: model, networks: try RunnableEmbeddingNetworks(networks),
                                       patchBudget: request.patchBudget)
            return PreparedEmbedding(setup: setup, note: nil)
        } catch {
            return PreparedEmbedding(setup: nil, note: "\(error); going on with the hand-crafted features")
        }
    }
}
