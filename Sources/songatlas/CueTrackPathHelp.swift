/// The words every scanning command's path argument adds about cue tracks
/// (``Library/CueSheetSeed``): a path `FILE.cue#N` or `FILE.flac#N` is that one track; a
/// sheet named alone (`FILE.cue`) stands for every track it describes.
enum CueTrackPathHelp {
    /// Appended to a path argument's abstract.
    static let suffix = "; FILE.cue#N or FILE.flac#N is track N of a cue sheet, FILE.cue all its tracks"
}
