import Foundation

extension SongListDocument.Format {
    /// The format an output file's name asks for: `.m3u8` or `.m3u` for M3U8, `.json`, `.csv`
    /// (compared without regard to case); any other name, and standard output (nil or `-`), get text.
    ///
    /// - Parameter path: the output file, or nil for standard output.
    public init(forOutput path: String?) {
        switch ((path ?? "") as NSString).pathExtension.lowercased() {
        case "m3u8", "m3u": self = .m3u8
        case "json": self = .json
        case "csv": self = .csv
        default: self = .text
        }
    }
}
