import ArgumentParser
import Features
import Foundation
import SongAtlas

/// `--embedding`: a model of ``EmbeddingModel/registry`` by name, or none.
enum EmbeddingModelArgument: ExpressibleByArgument, Equatable {
    case model(EmbeddingModel)
    case noEmbedding

    init?(argument: String) {
        if argument == "none" {
            self = .noEmbedding
        } else if let model = EmbeddingModel.registry.first(where: { $0.name == argument }) {
            self = .model(model)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { EmbeddingModel.registry.map(\.name) + ["none"] }
    /// Shell completion offers the same names (argument-parser lists an enum's cases by itself,
    /// but not the values of a type that is not `CaseIterable`).
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
    var defaultValueDescription: String {
        switch self {
        case let .model(model): model.name
        case .noEmbedding: "none"
        }
    }
}

/// `--embedding-patches`: a number of patches, or `all`.
struct PatchBudgetArgument: ExpressibleByArgument, Equatable {
    var budget: PatchBudget
    static let maximum = 10_000

    init?(argument: String) {
        guard let budget = PatchBudget(description: argument.lowercased()) else { return nil }
        self.budget = budget
    }

    var defaultValueDescription: String { budget.description }

    func validate() throws {
        if case let .evenlySpaced(count) = budget { try requireRange(count, 1...Self.maximum, flag: "--embedding-patches") }
    }
}

/// Which learned embedding to compute, and where the models are.
struct EmbeddingOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The learned embedding (musicnn) to compute; mtt+msd runs both networks on one front end and "
            + "joins them at equal weight (default: mtt when it is installed, else msd).",
        valueName: "model"))
    var embedding: EmbeddingModelArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Run the network on this many evenly spaced 3-second patches per track (1–10000), or on all of them "
            + "(default: \(PatchBudget.default.description)).",
        valueName: "n|all"))
    var embeddingPatches: PatchBudgetArgument?

    @Option(help: ArgumentHelp(
        "The models folder. Default: $SONGATLAS_MODELS, else $XDG_DATA_HOME/songatlas/models, "
            + "or ~/.local/share/songatlas/models.",
        valueName: "folder"))
    var models: String?

    func validate() throws {
        try embeddingPatches?.validate()
        if embedding == .noEmbedding && embeddingPatches != nil {
            throw ValidationError("--embedding-patches needs an embedding; it cannot go with --embedding none")
        }
    }

    /// The request these options make.
    var request: EmbeddingRequest {
        let choice: EmbeddingRequest.Choice = switch embedding {
        case nil: .automatic
        case let .model(model): .model(model)
        case .noEmbedding: .none
        }
        return EmbeddingRequest(
            choice: choice, patchBudget: embeddingPatches?.budget ?? .default,
            modelsDirectory: models.map { URL(fileURLWithPath: $0) }
                ?? ModelStore.defaultDirectory(environment: ProcessInfo.processInfo.environment))
    }

    /// Loads the model asked for; prints one line when it cannot (unless quiet) and goes on without it.
    func prepare(quiet: Bool) -> PreparedEmbedding {
        let prepared = Atlas.prepareEmbedding(request)
        if let note = prepared.note, !quiet { Terminal.printError("songatlas: \(note)") }
        return prepared
    }
}

extension SongFeatures: ExpressibleByArgument {}

/// `--features`: what `playlists` and `map` compare songs by.
struct FeatureChoiceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Compare songs by the learned embedding, the hand-crafted features, or both (default: embedding "
            + "when a model is installed; --weights applies to the hand-crafted groups).",
        valueName: "features"))
    var features: SongFeatures?

    /// The space these options and the prepared embedding give, with `weights` for the hand-crafted groups.
    ///
    /// Weights given for a space that is the embedding alone (asked for, or chosen
    /// because a model is installed) have no effect: the run goes on, with one
    /// line saying so (printed even with --quiet, as the weights were asked for).
    func space(_ prepared: PreparedEmbedding, weights: FeatureWeights?) -> FeatureSpace {
        let wanted = features ?? (prepared.setup == nil ? .handcrafted : .embedding)
        if weights != nil, let note = Self.weightsNote(features: wanted, chosen: features == nil) {
            Terminal.printError("songatlas: \(note)")
        }
        return FeatureSpace(weights: weights ?? FeatureWeights(), features: wanted, embedding: prepared.key)
    }

    /// The note for `--weights` given with `features`, or nil when the weights count.
    ///
    /// - Parameter chosen: true when `features` was chosen automatically (no --features).
    static func weightsNote(features: SongFeatures, chosen: Bool) -> String? {
        guard features == .embedding else { return nil }
        return "--weights has no effect: songs are compared by the learned embedding"
            + (chosen ? " (chosen because a model is installed)" : "")
            + "; the weights apply with --features handcrafted or both"
    }
}
