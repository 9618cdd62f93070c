/// The field tags of a binary cache record (``BinaryRecordFormat``); a tag, once written, never changes meaning.
///
/// Top-level tags 1–63 are the record's numbers, vectors and groups; 64 and above are its optional
/// texts (``CachedTrack/binaryTextFields``). Inside a group (an embedding, the fingerprint, a cue
/// track) tags count from 1 again.
enum BinaryRecordTag {
    static let format: UInt8 = 1
    static let decoder: UInt8 = 2
    static let durationSeconds: UInt8 = 3
    static let sampleRate: UInt8 = 4
    static let channelCount: UInt8 = 5
    static let analyzedSeconds: UInt8 = 6
    static let analyzedStartSeconds: UInt8 = 7
    static let nonFiniteSampleCount: UInt8 = 8
    static let trackNumber: UInt8 = 9
    static let discNumber: UInt8 = 10
    static let summaryVersion: UInt8 = 11
    /// The summary values, little-endian Float32.
    static let summaryValues: UInt8 = 12
    /// One per embedding (the only tag that may repeat): a group of ``Embedding`` fields.
    static let embedding: UInt8 = 13
    /// A group of ``Fingerprint`` fields.
    static let fingerprint: UInt8 = 14
    /// A group of ``CueTrack`` fields.
    static let cueTrack: UInt8 = 15

    /// The fields every record has.
    static let required: [UInt8] = [format, durationSeconds, sampleRate, channelCount, analyzedSeconds,
                                    analyzedStartSeconds, nonFiniteSampleCount, summaryVersion, summaryValues]

    /// The fields of one embedding.
    enum Embedding {
        static let model: UInt8 = 1
        static let version: UInt8 = 2
        static let patchBudget: UInt8 = 3
        static let patchCount: UInt8 = 4
        static let isPadded: UInt8 = 5
        /// Little-endian Float32.
        static let values: UInt8 = 6
        /// Little-endian Float32.
        static let tagProbabilities: UInt8 = 7
        static let required: [UInt8] = [model, version, patchBudget, patchCount, isPadded, values, tagProbabilities]
    }

    /// The fields of the fingerprint.
    enum Fingerprint {
        static let version: UInt8 = 1
        static let seconds: UInt8 = 2
        /// Little-endian UInt32.
        static let values: UInt8 = 3
        static let required: [UInt8] = [version, seconds, values]
    }

    /// The fields of a cue track (``CueSheetTrack``).
    enum CueTrack {
        static let audioPath: UInt8 = 1
        static let sheetPath: UInt8 = 2
        static let isEmbedded: UInt8 = 3
        static let trackNumber: UInt8 = 4
        static let startSample: UInt8 = 5
        static let endSample: UInt8 = 6
        static let sampleRate: UInt8 = 7
        static let title: UInt8 = 8
        static let performer: UInt8 = 9
        static let album: UInt8 = 10
        static let required: [UInt8] = [audioPath, sheetPath, isEmbedded, trackNumber, startSample, endSample, sampleRate]
    }
}
