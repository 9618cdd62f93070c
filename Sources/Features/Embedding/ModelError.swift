/// Why a musicnn model could not be installed or loaded.
///
/// Every message names the file and says how to put things right:
/// the two commands of ``howToInstall``, which need only pip and the binary.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// No weights file for `model` at `file`.
    case notInstalled(model: MusicnnModel, file: String)
    /// The weights file is shorter than its header says.
    case truncated(file: String, bytes: Int, expectedBytes: Int)
    /// The file is not a SongAtlas weights file for this model (or one of a newer format).
    case foreignFile(file: String, reason: String)
    /// The weights file's checksum does not match its contents.
    case checksumMismatch(file: String)
    /// The weights file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The wheel could not be opened or does not hold a usable musicnn checkpoint.
    case unreadableWheel(path: String, reason: String)
    /// The models directory or the weights file could not be written.
    case installFailed(file: String, reason: String)
    /// A file that is not a SongAtlas weights file is in the way; it is left alone.
    case wouldOverwrite(file: String)
    /// The models folder exists but cannot be listed (not a folder, no permission); `reason` is the system's.
    case unreadableFolder(path: String, reason: String)

    /// The two commands that install the models with nothing but pip and the `songatlas` binary.
    public static let howToInstall = "`pip download musicnn==0.1.0 --no-deps -d DIR`, then "
        + "`songatlas model install DIR/\(ModelStore.wheelFileName)`"

    static let reinstall = "reinstall with \(howToInstall)"

    public var description: String {
        switch self {
        case .notInstalled(let model, let file):
            "model \(model.identifier) is not installed (no \(file)); install it with \(Self.howToInstall)"
        case .truncated(let file, let bytes, let expected):
            "weights file \(file) is truncated (\(bytes) of \(expected) bytes); \(Self.reinstall)"
        case .foreignFile(let file, let reason):
            "\(file) is not a SongAtlas musicnn weights file (\(reason)); \(Self.reinstall)"
        case .checksumMismatch(let file):
            "weights file \(file) is damaged (checksum mismatch); \(Self.reinstall)"
        case .unreadable(let file, let reason):
            "weights file \(file) cannot be read (\(reason)); \(Self.reinstall)"
        case .unreadableWheel(let path, let reason):
            "wheel \(path) cannot be used (\(reason)); give the \(ModelStore.wheelFileName) file that `pip download musicnn==0.1.0 --no-deps -d DIR` puts in DIR"
        case .installFailed(let file, let reason):
            "cannot write \(file) (\(reason)); choose another models directory with --models DIR or SONGATLAS_MODELS"
        case .wouldOverwrite(let file):
            "\(file) exists and is not a SongAtlas weights file; it was left alone: move it away or choose another models directory with --models DIR"
        case .unreadableFolder(let path, let reason):
            "the models folder \(path) cannot be read (\(reason)); choose another with --models DIR or SONGATLAS_MODELS"
        }
    }
}
