import Foundation

extension SongListDocument {
    /// The forms a song list is written in.
    public enum Format: String, CaseIterable, Sendable {
        /// One line per song, for people.
        case text
        /// An extended M3U playlist (``M3U8Playlist``), the seeds first.
        case m3u8
        /// The document itself (``JSONOutput``).
        case json
        /// One row per song (RFC 4180).
        case csv
        /// An XSPF playlist (``XSPFPlaylist``), the seeds first.
        case xspf

        /// The file extensions (lower case, no dot) that name the format; text has none.
        public var fileExtensions: [String] {
            switch self {
            case .text: return []
            case .m3u8: return ["m3u8", "m3u"]
            case .json: return ["json"]
            case .csv: return ["csv"]
            case .xspf: return ["xspf"]
            }
        }

        /// The main extension of every format that has one, for help texts: `.m3u8/.json/.csv/.xspf`.
        public static var extensionSummary: String {
            allCases.compactMap { $0.fileExtensions.first.map { "." + $0 } }.joined(separator: "/")
        }

        /// The format an output file's extension names (``fileExtensions``), case-insensitively;
        /// text for another extension, none, or standard output (nil).
        ///
        /// - Parameter outputPath: the file the list is written to; nil for standard output.
        public init(outputPath: String?) {
            let fileExtension = ((outputPath ?? "") as NSString).pathExtension.lowercased()
            self = Self.allCases.first { $0.fileExtensions.contains(fileExtension) } ?? .text
        }
    }

    /// The list in `format`.
    ///
    /// - Parameters:
    ///   - format: the form.
    ///   - playlistFolder: for M3U8, the folder the playlist is written in; entries are absolute paths.
    /// - Returns: the whole text, ending in a newline.
    public func rendered(_ format: Format, playlistFolder: String = FileManager.default.currentDirectoryPath) -> String {
        switch format {
        case .text: return text()
        case .m3u8:
            return M3U8Playlist(entries: songs.map {
                .init(path: $0.path, durationSeconds: $0.durationSeconds, displayTitle: $0.displayTitle)
            }).rendered(playlistFolder: playlistFolder, relativeRoot: nil)
        case .json:
            // Encoding plain strings and numbers cannot fail.
            return String(decoding: try! JSONOutput.encoder().encode(self), as: UTF8.self) + "\n"
        case .csv:
            var table = CSVTable(header: ["position", "role", "similarity", "distance", "artist", "title", "album",
                                          "durationSeconds", "path", "uri"])
            for (index, song) in songs.enumerated() {
                table.append(["\(index + 1)", song.role.rawValue, song.similarity.map(CSVTable.number) ?? "",
                              song.distance.map(CSVTable.number) ?? "", song.artist ?? "", song.title ?? "",
                              song.album ?? "", CSVTable.number(song.durationSeconds), DocumentPath(song.path).text,
                              DocumentPath(song.path).uri ?? ""])
            }
            return table.rendered()
        case .xspf:
            return XSPFPlaylist(entries: songs.map {
                .init(path: $0.path, title: SongTitle.display(title: $0.title, artist: nil, path: $0.path),
                      creator: $0.artist, album: $0.album, durationSeconds: $0.durationSeconds)
            }).rendered()
        }
    }

    /// The text form: a heading, one numbered line per song, and a path's steps.
    func text() -> String {
        let featureName = features.phrase
        var lines: [String] = []
        switch kind {
        case .similar:
            let seeds = songs.filter { $0.role == .seed }
            let found = songs.filter { $0.role != .seed }
            lines.append("\(found.count) song\(found.count == 1 ? "" : "s") like "
                + seeds.map(\.displayTitle).joined(separator: " + ") + " (\(featureName)), similarity in [0, 1]:")
            for (index, song) in found.enumerated() {
                lines.append(String(format: "%3d. %.3f  %@", index + 1, song.similarity ?? 0, song.displayTitle))
            }
        case .path:
            lines.append("path of \(songs.count) song\(songs.count == 1 ? "" : "s") (\(featureName)), "
                + "distance of each step:")
            for (index, song) in songs.enumerated() {
                let step = song.distance.map { String(format: "%6.3f", $0) } ?? "      "
                let role = song.role == .step ? "    " : song.role.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)
                lines.append(String(format: "%3d. %@ %@  %@", index + 1, step, role, song.displayTitle))
            }
            if let steps, songs.count > 1 {
                lines.append(String(format: "steps: mean %.3f, largest %.3f (even step on the straight line %.3f)",
                                    steps.mean, steps.largest, steps.even)
                    + (steps.gapsAfter.isEmpty ? "" : ", \(steps.gapsAfter.count) gap\(steps.gapsAfter.count == 1 ? "" : "s")"))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
