import Foundation
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// The musicnn 0.1.0 wheel from PyPI, read for its checkpoints.
///
/// A wheel is a zip archive (PEP 427). It holds the TensorFlow 1
/// checkpoints `musicnn/MTT_musicnn/` and `musicnn/MSD_musicnn/` (each an
/// `.index` and a `.data-00000-of-00001`; see ``TensorBundle``), the tag
/// lists in `musicnn/configuration.py` and the ISC licence in
/// `musicnn-0.1.0.dist-info/LICENSE.md`. Read with ZIPFoundation (deflate
/// through zlib); nothing is unpacked to disk.
struct MusicnnWheel {
    let path: String
    private let archive: Archive

    /// The licence notice shipped in the wheel.
    let licence: String
    /// `musicnn/configuration.py`, for the tag lists.
    private let configuration: String

    /// Opens the wheel.
    ///
    /// - Throws: ``ModelError/unreadableWheel(path:reason:)`` when it is not a
    ///   zip, or lacks the configuration or licence.
    init(url: URL) throws(ModelError) {
        path = url.path
        try Self.checkRegularFile(url.path)
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw .unreadableWheel(path: url.path, reason: "not a zip archive")
        }
        configuration = String(decoding: try Self.read(archive, "musicnn/configuration.py", path: url.path), as: UTF8.self)
        let licenceEntry = archive.first { $0.path.hasSuffix(".dist-info/LICENSE.md") || $0.path.hasSuffix(".dist-info/LICENSE") }
        guard let licenceEntry else { throw .unreadableWheel(path: url.path, reason: "no licence file in the .dist-info folder") }
        licence = String(decoding: try Self.read(archive, licenceEntry.path, path: url.path), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The checked weights of `model` from its checkpoint.
    ///
    /// - Throws: ``ModelError/unreadableWheel(path:reason:)`` when the
    ///   checkpoint is missing or malformed, a tensor is missing or misshapen,
    ///   or the wheel's tag list differs from ``MusicnnModel/tags``.
    func weights(_ model: MusicnnModel) throws(ModelError) -> MusicnnWeights {
        let labels = model == .mtt ? "MTT_LABELS" : "MSD_LABELS"
        guard let tags = Self.pythonList(named: labels, in: configuration) else {
            throw .unreadableWheel(path: path, reason: "configuration.py has no \(labels)")
        }
        guard tags == model.tags else {
            throw .unreadableWheel(path: path, reason: "\(labels) in configuration.py differ from musicnn 0.1.0's")
        }
        let bundle = try checkpoint(model)
        let tensors = bundle.tensors.mapValues { MusicnnWeights.Tensor(shape: $0.shape, values: $0.values) }
        do {
            return try MusicnnWeights(model: model, licence: licence, tensors: tensors)
        } catch {
            throw .unreadableWheel(path: path, reason: "checkpoint \(model.rawValue.uppercased())_musicnn: \(error.description)")
        }
    }

    /// The model tensors of `model`'s checkpoint (the Adam slots and counters
    /// are listed in its ``TensorBundle/entryNames`` but not read).
    func checkpoint(_ model: MusicnnModel) throws(ModelError) -> TensorBundle {
        let folder = "musicnn/\(model.rawValue.uppercased())_musicnn/"
        let index = try Self.read(archive, folder + ".index", path: path)
        let data = try Self.read(archive, folder + ".data-00000-of-00001", path: path)
        let wanted = Set(MusicnnWeights.layout.map(\.name))
        do {
            return try TensorBundle(index: index, data: data, keep: { wanted.contains($0) })
        } catch {
            throw .unreadableWheel(path: path, reason: "checkpoint \(folder): \(error)")
        }
    }

    /// The most bytes one member may unpack to: 32 MiB, about 3.5 times the
    /// largest member SongAtlas reads from the real wheel (each
    /// `.data-00000-of-00001` checkpoint unpacks to 9,465,596 bytes; the
    /// whole wheel to 37,159,589 in 38 members).
    static let memberByteLimit = 32 << 20

    /// Refuses anything at `path` that is not a regular file (a folder, a FIFO,
    /// a device), before opening it: reading those would block or spin.
    ///
    /// - Throws: ``ModelError/unreadableWheel(path:reason:)`` saying what is there.
    static func checkRegularFile(_ path: String) throws(ModelError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw .unreadableWheel(path: path, reason: reason)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw .unreadableWheel(path: path, reason: "it is a folder, not a zip file")
        case S_IFIFO: throw .unreadableWheel(path: path, reason: "it is a FIFO, not a zip file")
        case S_IFCHR, S_IFBLK: throw .unreadableWheel(path: path, reason: "it is a device, not a zip file")
        default: throw .unreadableWheel(path: path, reason: "it is not a regular file")
        }
    }

    /// The bytes of one archive member, at most ``memberByteLimit``.
    ///
    /// The member's declared size is checked before inflating, and the bytes
    /// are counted while inflating (a zip's declared sizes can lie): a deflate
    /// bomb is refused as soon as it passes the limit, with memory bounded by it.
    private static func read(_ archive: Archive, _ member: String, path: String) throws(ModelError) -> Data {
        guard let entry = archive[member] else { throw .unreadableWheel(path: path, reason: "no \(member) in it") }
        let limit = Self.memberByteLimit
        let tooLarge = ModelError.unreadableWheel(
            path: path, reason: "\(member) unpacks to more than \(limit >> 20) MiB, far more than musicnn's "
                + "checkpoints; it is not the musicnn 0.1.0 wheel")
        guard entry.uncompressedSize <= UInt64(limit) else { throw tooLarge }
        var data = Data()
        data.reserveCapacity(Int(entry.uncompressedSize))
        struct OverLimit: Error {}
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= limit else { throw OverLimit() }
                data.append(chunk)
            }
        } catch is OverLimit {
            throw tooLarge
        } catch {
            throw .unreadableWheel(path: path, reason: "\(member) cannot be unpacked (\(error))")
        }
        return data
    }

    /// The string items of a one-line Python list assignment `NAME = ['a', "b", …]`.
    static func pythonList(named name: String, in source: String) -> [String]? {
        for line in source.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(name), let open = trimmed.firstIndex(of: "["), let close = trimmed.lastIndex(of: "]") else { continue }
            let head = trimmed[..<open].replacingOccurrences(of: " ", with: "")
            guard head == name + "=" else { continue }
            var items: [String] = []
            var current: String?
            var quote: Character = "'"
            for character in trimmed[trimmed.index(after: open)..<close] {
                if var text = current {
                    if character == quote { items.append(text); current = nil } else { text.append(character); current = text }
                } else if character == "'" || character == "\"" {
                    quote = character
                    current = ""
                }
            }
            return items
        }
        return nil
    }
}
