import AudioDecoding

/// One song inside a file: a sheet's track as a range of the file's samples.
///
/// The unit the rest of the pipeline works on for sheets: its identity is
/// (``audioPath``, ``trackNumber``); analysis decodes ``startSample``
/// ..< ``endSample`` at the file's own rate ``sampleRate``; outputs point
/// players at ``startSeconds``–``endSeconds`` or at the sheet's track.
public struct CueSheetTrack: Hashable, Codable, Sendable {
    /// The audio file the track lies in.
    public var audioPath: String
    /// The sheet it comes from: a `.cue` file, or ``audioPath`` itself for an embedded sheet.
    public var sheetPath: String
    /// Whether the sheet is embedded in the audio file's tags.
    public var isEmbedded: Bool
    /// The `TRACK` number, 1 or more.
    public var trackNumber: Int
    /// The first sample, at ``sampleRate`` (from the track's `INDEX 01`).
    public var startSample: Int
    /// One past the last sample: the next track's `INDEX 01` in the same file, or the file's end.
    public var endSample: Int
    /// The file's own sample rate in Hz.
    public var sampleRate: Int
    /// The track's `TITLE`, `PERFORMER` (else the album's) and the album's `TITLE`;
    /// nil where the sheet has none (see ``fillingGaps(from:holdsOneTrack:)``).
    public var title: String?
    public var performer: String?
    public var album: String?

    public init(audioPath: String, sheetPath: String, isEmbedded: Bool, trackNumber: Int, startSample: Int,
                endSample: Int, sampleRate: Int, title: String? = nil, performer: String? = nil, album: String? = nil) {
        self.audioPath = audioPath
        self.sheetPath = sheetPath
        self.isEmbedded = isEmbedded
        self.trackNumber = trackNumber
        self.startSample = startSample
        self.endSample = endSample
        self.sampleRate = sampleRate
        self.title = title
        self.performer = performer
        self.album = album
    }

    /// Its length in samples at ``sampleRate``.
    public var sampleCount: Int { endSample - startSample }
    public var startSeconds: Double { sampleRate > 0 ? Double(startSample) / Double(sampleRate) : 0 }
    public var endSeconds: Double { sampleRate > 0 ? Double(endSample) / Double(sampleRate) : 0 }
    public var durationSeconds: Double { endSeconds - startSeconds }

    /// The track with title, performer and album it lacks taken from its file's tags.
    ///
    /// - Parameters:
    ///   - tags: the audio file's tags.
    ///   - holdsOneTrack: whether the file holds only this track of the sheet;
    ///     only then is the file's title this track's title.
    public func fillingGaps(from tags: AudioTags, holdsOneTrack: Bool) -> CueSheetTrack {
        var track = self
        if track.title == nil, holdsOneTrack { track.title = tags.title }
        if track.performer == nil { track.performer = tags.artist }
        if track.album == nil { track.album = tags.album }
        return track
    }
}

/// A file's length, as the decoder reports it: the input ``CueSheet/tracks(lengths:)`` needs.
public struct CueSheetAudioLength: Hashable, Sendable {
    /// Frames per channel.
    public var frameCount: Int
    /// Hz, greater than 0.
    public var sampleRate: Int

    public init(frameCount: Int, sampleRate: Int) {
        self.frameCount = frameCount
        self.sampleRate = sampleRate
    }

    public var durationSeconds: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }
}

extension CueSheet {
    /// The sheet's audio tracks as sample ranges of their files.
    ///
    /// Each track runs from its `INDEX 01` to the next audio or data track's
    /// `INDEX 01` in the same file, or to the file's end; `INDEX 00` and
    /// `PREGAP` move no boundary (see the type's rules). A frame converts to
    /// samples by ``sample(ofFrames:sampleRate:)``.
    ///
    /// - Parameter lengths: each resolved file's length (``File/path``), as its decoder reports it.
    /// - Returns: one track per audio `TRACK`, in sheet order.
    /// - Throws: ``CueSheetError`` for a file whose length is unknown or not
    ///   resolved, for a track that starts at or past the end of its file, and
    ///   for tracks that overlap because two `FILE` lines name one file.
    public func tracks(lengths: (String) -> CueSheetAudioLength?) throws(CueSheetError) -> [CueSheetTrack] {
        var result: [CueSheetTrack] = []
        var lastInPath: [String: (track: Int, frames: Int, endSample: Int)] = [:]
        let started = tracks.compactMap { track in track.start.map { (track: track, start: $0) } }
        for (position, (track, start)) in started.enumerated() where track.isAudio {
            guard let path = files[start.file].path else {
                throw CueSheetError(sheet: sheetPath, line: files[start.file].line,
                                    fault: .missingFile(name: files[start.file].name))
            }
            guard let length = lengths(path), length.sampleRate > 0, length.frameCount >= 0 else {
                throw CueSheetError(sheet: sheetPath, fault: .unknownAudioLength(path: path))
            }
            let startSample = Self.sample(ofFrames: start.frames, sampleRate: length.sampleRate)
            guard startSample < length.frameCount else {
                throw CueSheetError(sheet: sheetPath, line: start.line, fault: .trackPastEnd(
                    track: track.number, startSeconds: Double(start.frames) / Double(Self.framesPerSecond),
                    audioSeconds: length.durationSeconds))
            }
            var endSample = length.frameCount
            if position + 1 < started.count, started[position + 1].start.file == start.file {
                endSample = min(endSample, Self.sample(ofFrames: started[position + 1].start.frames, sampleRate: length.sampleRate))
            }
            // Two FILE lines may name one file: its tracks must still not overlap.
            if let earlier = lastInPath[path], startSample < earlier.endSample {
                throw CueSheetError(sheet: sheetPath, line: start.line, fault: .indexBeforeEarlierIndex(
                    track: track.number, index: 1, frames: start.frames, earlierTrack: earlier.track, earlierIndex: 1,
                    earlierFrames: earlier.frames))
            }
            guard endSample > startSample else {
                throw CueSheetError(sheet: sheetPath, line: start.line, fault: .malformed(
                    "track \(track.number) is shorter than one sample at \(length.sampleRate) Hz"))
            }
            lastInPath[path] = (track.number, start.frames, endSample)
            result.append(CueSheetTrack(
                audioPath: path, sheetPath: sheetPath, isEmbedded: isEmbedded, trackNumber: track.number,
                startSample: startSample, endSample: endSample, sampleRate: length.sampleRate,
                title: track.title, performer: track.performer ?? performer, album: title))
        }
        return result
    }
}
