import Foundation

/// Tells whether a file holds audio, judged by its content rather than its name.
///
/// Export has no C dependency, so it cannot open audio itself: the layer that
/// can (SongAtlas's CLI, through AudioDecoding's libsndfile and FFmpeg) supplies
/// this check, and tests supply a fake one.
public protocol AudioContentProbe: Sendable {
    /// True when `path`, an existing regular file, can be opened as audio.
    func isAudio(atPath path: String) -> Bool
}

/// What an output may replace: the rules every ``OutputDestination`` and ``OutputSet`` applies
/// to a file already at a path it wants to write.
///
/// - A file SongAtlas wrote there, unchanged since (its manifest records the
///   file's device, inode, size and modification time), is replaced.
/// - Any other file (from another program, a person's, or SongAtlas's own but
///   edited since) is *foreign*: the write is refused with
///   ``OutputError/foreignFile(path:)`` unless ``replaceForeign`` is set.
/// - A file that holds audio (by ``audioProbe``) is refused whatever its name,
///   even with ``replaceForeign``: a report written over a song by a slip of the
///   hand would destroy the music.
/// - A file no one may write (no write bit in its mode) is refused with
///   ``OutputError/readOnly(path:)``, even for root, who could write it.
public struct OutputRules: Sendable {
    /// Replace foreign files too (audio and read-only files are still refused).
    public var replaceForeign: Bool
    /// The content check for audio; nil checks nothing (then only the ownership rule protects music).
    public var audioProbe: (any AudioContentProbe)?

    public init(replaceForeign: Bool = false, audioProbe: (any AudioContentProbe)? = nil) {
        self.replaceForeign = replaceForeign
        self.audioProbe = audioProbe
    }

    /// Checks that the existing regular file at `path` may be replaced.
    ///
    /// - Parameters:
    ///   - path: the file to replace, symbolic links followed; nothing there is always fine.
    ///   - requested: the path to name in an error.
    ///   - recorded: the manifest's entry for this file, if SongAtlas wrote one.
    /// - Throws: ``OutputError/audioFile(path:)``, ``OutputError/readOnly(path:)`` or
    ///   ``OutputError/foreignFile(path:)``.
    func checkReplaceable(_ path: String, requested: String, recorded: Manifest.Entry?) throws(OutputError) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        if status.st_mode & 0o222 == 0 { throw .readOnly(path: requested) }
        if let recorded, recorded.matches(status) { return }
        if let audioProbe, audioProbe.isAudio(atPath: path) { throw .audioFile(path: requested) }
        if !replaceForeign { throw .foreignFile(path: requested) }
    }
}
