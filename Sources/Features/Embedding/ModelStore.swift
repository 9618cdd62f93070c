import Foundation

/// One installed model, as ``ModelStore/installedModels()`` lists it.
public struct InstalledModel: Sendable, Equatable {
    /// The model.
    public var model: MusicnnModel
    /// Tags the file holds (50).
    public var tagCount: Int
    /// The weights file.
    public var file: URL
    /// Its size in bytes.
    public var byteCount: Int
    /// The licence in short: "ISC, Copyright (c) Music Technology Group, Universitat Pompeu Fabra 2019"
    /// (the weights file holds the whole notice).
    public var licence: String
}

/// The directory of installed musicnn weights files, and how they get there.
///
/// Each model is one file, `musicnn-mtt.weights` or `musicnn-msd.weights`,
/// in ``WeightsFile`` format, made from the musicnn 0.1.0 wheel by
/// ``install(wheel:)``. Weights are never committed to the repository and
/// never fetched at run time.
public struct ModelStore: Sendable {
    /// The directory holding the weights files.
    public let directory: URL

    /// A store in `directory` (which need not exist yet).
    public init(directory: URL) {
        self.directory = directory
    }

    /// Where models live: `$SONGATLAS_MODELS`, else `$XDG_DATA_HOME/songatlas/models`,
    /// else `~/.local/share/songatlas/models`. Empty variables count as unset.
    ///
    /// - Parameter environment: the process environment (`ProcessInfo.processInfo.environment`).
    public static func defaultDirectory(environment: [String: String]) -> URL {
        if let models = environment["SONGATLAS_MODELS"], !models.isEmpty {
            return URL(fileURLWithPath: models, isDirectory: true)
        }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(fileURLWithPath: data, isDirectory: true).appendingPathComponent("songatlas/models", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/share/songatlas/models", isDirectory: true)
    }

    /// The file name of the musicnn wheel the weights come from.
    public static let wheelFileName = "musicnn-0.1.0-py3-none-any.whl"

    /// Where `scripts/setup` puts the musicnn wheel (`pip download musicnn==0.1.0
    /// --no-deps -d DIR`): `$SONGATLAS_WHEEL` if set, else
    /// `$XDG_CACHE_HOME/songatlas/wheels/`, else `~/.cache/songatlas/wheels/`, plus ``wheelFileName``.
    ///
    /// - Parameter environment: the process environment.
    public static func defaultWheel(environment: [String: String]) -> URL {
        if let wheel = environment["SONGATLAS_WHEEL"], !wheel.isEmpty { return URL(fileURLWithPath: wheel) }
        let cache: URL
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            cache = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            cache = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache", isDirectory: true)
        }
        return cache.appendingPathComponent("songatlas/wheels/\(wheelFileName)")
    }

    /// The weights file of `model` in this store.
    public func file(for model: MusicnnModel) -> URL {
        directory.appendingPathComponent("\(model.identifier).weights")
    }

    /// Reads both models from the musicnn 0.1.0 wheel and writes their weights files.
    ///
    /// Each file is written to a temporary file in ``directory`` and renamed
    /// into place, so a reader sees the old file or the new one, never a
    /// torn one. An existing file is replaced only if it is a SongAtlas
    /// weights file.
    ///
    /// - Parameters:
    ///   - wheel: `musicnn-0.1.0-py3-none-any.whl`.
    ///   - progress: told the steps done and the steps in all (each model read, then each
    ///     written), with the model's name, for a live progress line; nil for none.
    /// - Returns: the installed models.
    /// - Throws: ``ModelError``: `unreadableWheel`, `installFailed`, `wouldOverwrite`.
    /// - Complexity: reads the two checkpoints (about 19 MB unpacked); a second or so.
    public func install(wheel: URL, progress: ((_ completed: Int, _ total: Int, _ model: String) -> Void)? = nil)
        throws(ModelError) -> [InstalledModel]
    {
        for model in MusicnnModel.allCases { try checkReplaceable(file(for: model)) }
        let source = try MusicnnWheel(url: wheel)
        var weights: [MusicnnWeights] = []
        let steps = 2 * MusicnnModel.allCases.count
        for model in MusicnnModel.allCases {
            progress?(weights.count, steps, "reading " + model.identifier)
            weights.append(try source.weights(model))
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .installFailed(file: directory.path, reason: "cannot create the directory")
        }
        for (index, modelWeights) in weights.enumerated() {
            progress?(weights.count + index, steps, "writing " + modelWeights.model.identifier)
            let target = file(for: modelWeights.model)
            try checkReplaceable(target)
            let bytes = WeightsFile.encode(modelWeights)
            let temporary = directory.appendingPathComponent(".\(modelWeights.model.identifier).weights.\(ProcessInfo.processInfo.processIdentifier).tmp")
            do {
                try bytes.write(to: temporary)
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw .installFailed(file: temporary.path, reason: "write failed")
            }
            guard rename(temporary.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw .installFailed(file: target.path, reason: reason)
            }
        }
        progress?(steps, steps, "")
        return installedModels()
    }

    /// Throws unless `target` is absent or a SongAtlas weights file (which install may replace).
    private func checkReplaceable(_ target: URL) throws(ModelError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return }
        guard !isDirectory.boolValue, let handle = FileHandle(forReadingAtPath: target.path) else {
            throw .wouldOverwrite(file: target.path)
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: WeightsFile.magic.count)) ?? Data()
        guard WeightsFile.hasMagic(head) else { throw .wouldOverwrite(file: target.path) }
    }

    /// The models whose weights files are present and readable as SongAtlas
    /// weights files (checked by header only; ``loadWeights(_:)`` checks everything).
    public func installedModels() -> [InstalledModel] {
        MusicnnModel.allCases.compactMap { model in
            let url = file(for: model)
            guard let data = FileManager.default.contents(atPath: url.path),
                  let header = WeightsFile.peekModel(data), header.model == model.identifier
            else { return nil }
            let firstLine = header.licence.split(separator: "\n").first.map(String.init) ?? ""
            let copyright = firstLine.components(separatedBy: ". ").first ?? firstLine
            return InstalledModel(model: model, tagCount: header.tagCount, file: url, byteCount: data.count,
                                  licence: "ISC, " + copyright)
        }
    }

    /// Whether `model`'s weights file is present (not checked).
    /// What is at one model's weights file, as `model list` reports it.
    public enum ModelState: Sendable, Equatable {
        /// A complete weights file whose checksum holds.
        case installed(InstalledModel)
        /// No file at ``ModelStore/file(for:)``.
        case missing
        /// A file that is there but cannot be used (truncated, checksum broken, foreign, unreadable); the error says how.
        case damaged(ModelError)
    }

    /// The state of every model's weights file, each checked in full (header, length and checksum).
    ///
    /// - Returns: one state per model, in ``MusicnnModel/allCases`` order.
    /// - Throws: ``ModelError/unreadableFolder(path:reason:)`` naming the models folder and the
    ///   system's reason when the folder exists but cannot be read (an unreadable folder is
    ///   not "no models installed").
    public func modelStates() throws(ModelError) -> [(model: MusicnnModel, state: ModelState)] {
        var status = stat()
        if stat(directory.path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw .unreadableFolder(path: directory.path, reason: "it is not a folder")
            }
            guard let handle = opendir(directory.path) else {
                throw .unreadableFolder(path: directory.path, reason: String(cString: strerror(errno)))
            }
            closedir(handle)
        } else if errno != ENOENT {
            throw .unreadableFolder(path: directory.path, reason: String(cString: strerror(errno)))
        }
        return MusicnnModel.allCases.map { model in
            let url = file(for: model)
            var fileStatus = stat()
            guard lstat(url.path, &fileStatus) == 0 else { return (model, .missing) }
            do {
                let weights = try loadWeights(model)
                let listed = installedModels().first { $0.model == model }
                    ?? InstalledModel(model: model, tagCount: weights.model.tags.count, file: url,
                                      byteCount: Int(fileStatus.st_size), licence: "ISC")
                return (model, .installed(listed))
            } catch let error as ModelError {
                return (model, .damaged(error))
            } catch {
                return (model, .damaged(.unreadable(file: url.path, reason: "\(error)")))
            }
        }
    }

    public func isInstalled(_ model: MusicnnModel) -> Bool {
        FileManager.default.fileExists(atPath: file(for: model).path)
    }

    /// Reads and checks `model`'s weights file.
    ///
    /// - Throws: ``ModelError``: `notInstalled`, `unreadable`, `truncated`,
    ///   `foreignFile` or `checksumMismatch`, each naming the file.
    /// - Complexity: O(file size), about 3.2 MB; a few milliseconds.
    public func loadWeights(_ model: MusicnnModel) throws(ModelError) -> MusicnnWeights {
        let url = file(for: model)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .notInstalled(model: model, file: url.path) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try WeightsFile.decode(data, model: model, file: url.path)
    }
}
