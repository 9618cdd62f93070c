import ArgumentParser
import Features
import Foundation

/// `songatlas model`: install and list the musicnn models behind the song embedding.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Install and list the musicnn models behind the learned song embedding.",
        discussion: """
            The embedding comes from musicnn (Pons and Serra, 2019; ISC licence): the MTT model, \
            trained on MagnaTagATune, and the MSD model, trained on the Million Song Dataset, each \
            with 50 tags. Their weights are read from the musicnn 0.1.0 wheel, without Python or \
            TensorFlow, into one weights file per model.

            The wheel comes from PyPI with pip (no Python package is installed, only the file is \
            downloaded to DIR). Models go to $SONGATLAS_MODELS if set, else \
            $XDG_DATA_HOME/songatlas/models, else ~/.local/share/songatlas/models; --models DIR \
            overrides all three.

            Examples:
              pip download musicnn==0.1.0 --no-deps -d DIR
              songatlas model install DIR/musicnn-0.1.0-py3-none-any.whl
              songatlas model install musicnn-0.1.0-py3-none-any.whl --models ~/models
              songatlas model list
            """,
        subcommands: [Install.self, List.self])

    /// The `--models DIR` option both subcommands share.
    struct Location: ParsableArguments {
        @Option(name: .customLong("models"), help: ArgumentHelp(
            "The models directory (default: $SONGATLAS_MODELS, else $XDG_DATA_HOME/songatlas/models, "
                + "else ~/.local/share/songatlas/models).", valueName: "dir"))
        var directory: String?

        var store: ModelStore {
            ModelStore(directory: directory.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? ModelStore.defaultDirectory(environment: ProcessInfo.processInfo.environment))
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install both musicnn models from the musicnn 0.1.0 wheel.",
            discussion: """
                Reads the TensorFlow checkpoints MTT_musicnn and MSD_musicnn in the wheel and writes \
                musicnn-mtt.weights and musicnn-msd.weights, with their tags and licence notice, to the \
                models directory. Each file is written beside its final name and renamed into place; \
                installed weights files are replaced, any other file in the way is left alone (an error).

                Get the wheel with pip (it only downloads the file to DIR; nothing is installed into \
                Python), then install from it. The models go to $SONGATLAS_MODELS if set, else \
                $XDG_DATA_HOME/songatlas/models, else ~/.local/share/songatlas/models (--models DIR \
                overrides all three); 'songatlas model list' shows them.

                Examples:
                  pip download musicnn==0.1.0 --no-deps -d DIR
                  songatlas model install DIR/musicnn-0.1.0-py3-none-any.whl

                Without WHEEL, the wheel is taken from $SONGATLAS_WHEEL, else \
                $XDG_CACHE_HOME/songatlas/wheels/, else ~/.cache/songatlas/wheels/ (where a source \
                checkout's scripts/setup puts it).
                """)

        @Argument(help: ArgumentHelp("The musicnn-0.1.0-py3-none-any.whl file.", valueName: "wheel"))
        var wheel: String?

        @OptionGroup var location: Location

        @Flag(name: [.short, .long], help: "No progress line on standard error.")
        var quiet = false

        func run() throws {
            let wheelURL = wheel.map { URL(fileURLWithPath: $0) }
                ?? ModelStore.defaultWheel(environment: ProcessInfo.processInfo.environment)
            if wheel == nil && !FileManager.default.fileExists(atPath: wheelURL.path) {
                Terminal.printError("songatlas: no WHEEL given and no wheel at \(wheelURL.path); "
                    + "get it and install from it with \(ModelError.howToInstall)")
                throw ExitCode.failure
            }
            do {
                let line = Terminal.liveProgress(quiet: quiet, unit: "steps")
                let installed = try location.store.install(wheel: wheelURL) { completed, total, step in
                    line?.update(completed: completed, total: total, item: step)
                }
                for model in installed {
                    print("installed \(model.model.identifier) (\(model.tagCount) tags, \(ModelCommand.size(model.byteCount))) "
                        + "to \(model.file.path)")
                }
            } catch {
                Terminal.printError("songatlas: \(error)")
                throw ExitCode.failure
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the installed models: model, tags, size, file and licence.",
            discussion: "Exits with status 0 and prints a note on standard error when no model is installed.")

        @OptionGroup var location: Location

        func run() throws {
            let store = location.store
            let states: [(model: MusicnnModel, state: ModelStore.ModelState)]
            do {
                states = try store.modelStates()
            } catch {
                Terminal.printError("songatlas: \(error)")
                throw ExitCode.failure
            }
            let models = states.compactMap { entry -> InstalledModel? in
                if case let .installed(model) = entry.state { return model }
                return nil
            }
            // Each model that is not usable gets one line: missing, or damaged with the reinstall line.
            let allMissing = states.allSatisfy { $0.state == .missing }
            for entry in states where !allMissing {
                switch entry.state {
                case .installed: break
                case .missing:
                    Terminal.printError("songatlas: \(entry.model.identifier) is not installed (no "
                        + "\(store.file(for: entry.model).path))")
                case let .damaged(error):
                    Terminal.printError("songatlas: \(entry.model.identifier) is damaged: \(error)")
                }
            }
            guard !models.isEmpty else {
                if allMissing {
                    Terminal.printError(
                        "songatlas: no models installed in \(store.directory.path); install them with "
                            + ModelError.howToInstall)
                }
                return
            }
            let rows = [["model", "tags", "size", "file", "licence"]] + models.map {
                [$0.model.identifier, String($0.tagCount), ModelCommand.size($0.byteCount), $0.file.path, $0.licence]
            }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max()! }
            for row in rows {
                print((0..<4).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    + "  " + row[4])
            }
        }
    }

    /// Bytes as "3.2 MB".
    static func size(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
