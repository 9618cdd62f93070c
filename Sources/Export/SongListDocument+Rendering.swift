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
    ///     For text, paths under it are shown relative to it.
    ///   - showingPaths: text only: every line shows its file's path (`--paths`); without it only
    ///     songs whose display title another song of the list shares show theirs.
    /// - Returns: the whole text, ending in a newline.
    public func rendered(_ format: Format, playlistFolder: String = FileManager.default.currentDirectoryPath,
                         showingPaths: Bool = false) -> String {
        switch format {
        case .text: return text(showingPaths: showingPaths, relativeTo: playlistFolder)
        case .m3u8:
            return M3U8Playlist(entries: songs.map { song in
                let (path, location) = song.cue?.m3u8Location(audioPath: song.path, form: .range)
                    ?? (song.path, .wholeFile)
                return .init(path: path, durationSeconds: song.durationSeconds, displayTitle: song.displayTitle,
                             location: location)
            }).rendered(playlistFolder: playlistFolder, relativeRoot: nil)
        case .json:
            // Encoding plain strings and numbers cannot fail.
            return String(decoding: try! JSONOutput.encoder().encode(self), as: UTF8.self) + "\n"
        case .csv:
            // The cue columns appear only when a song is a cue track, as in playlists.csv.
            let cue = songs.contains { $0.cue != nil }
            var table = CSVTable(header: ["position", "role", "similarity", "distance", "artist", "title", "album",
                                          "durationSeconds", "path", "uri"] + (cue ? ["track", "start", "end"] : []))
            for (index, song) in songs.enumerated() {
                var row = ["\(index + 1)", song.role.rawValue, song.similarity.map(CSVTable.number) ?? "",
                           song.distance.map(CSVTable.number) ?? "", song.artist ?? "", song.title ?? "",
                           song.album ?? "", CSVTable.number(song.durationSeconds), DocumentPath(song.path).text,
                           DocumentPath(song.path).uri ?? ""]
                if cue {
                    row += song.cue.map { ["\($0.track)", CSVTable.number($0.startSeconds), CSVTable.number($0.endSeconds)] }
                        ?? ["", "", ""]
                }
                table.append(row)
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
    ///
    /// With several seeds, the seeds are numbered under the heading and each song says which seed
    /// it belongs to (`seed 2`); when the list is not sorted by similarity (the seeds take turns),
    /// one line says so. A song shows its path after its title, in parentheses, when
    /// `showingPaths` or when another song of the list has the same display title, so two
    /// copies of one song can be told apart.
    ///
    /// - Parameters:
    ///   - showingPaths: every song shows its path.
    ///   - folder: paths under this folder are shown relative to it; nil shows them whole.
    func text(showingPaths: Bool = false, relativeTo folder: String? = nil) -> String {
        let featureName = features.phrase
        let titleCounts = Dictionary(songs.map { ($0.displayTitle, 1) }, uniquingKeysWith: +)
        func name(_ song: Song) -> String {
            guard showingPaths || titleCounts[song.displayTitle, default: 0] > 1 else { return song.displayTitle }
            return song.displayTitle + "  (" + Self.shownPath(song.path, relativeTo: folder) + ")"
        }
        var lines: [String] = []
        switch kind {
        case .similar:
            let seeds = songs.filter { $0.role == .seed }
            let found = songs.filter { $0.role != .seed }
            let count = "\(found.count) song\(found.count == 1 ? "" : "s")"
            if seeds.count > 1 {
                lines.append("\(count) like \(seeds.count) seeds (\(featureName)), similarity in [0, 1] to each song's seed:")
                for (index, seed) in seeds.enumerated() { lines.append("  seed \(index + 1): " + name(seed)) }
            } else {
                lines.append("\(count) like " + seeds.map(name).joined(separator: " + ")
                    + " (\(featureName)), similarity in [0, 1]:")
            }
            if !Self.isSortedBySimilarity(found) {
                lines.append("the seeds take turns (round robin), so the list is not sorted by similarity")
            }
            let seedNumbers = Dictionary(seeds.enumerated().map { ($0.element.path, $0.offset + 1) },
                                         uniquingKeysWith: { first, _ in first })
            let width = String(seeds.count).count
            for (index, song) in found.enumerated() {
                var seedColumn = ""
                if seeds.count > 1 {
                    let number = song.seed.flatMap { seedNumbers[$0] }.map(String.init) ?? "?"
                    seedColumn = "seed " + String(repeating: " ", count: max(0, width - number.count)) + number + "  "
                }
                lines.append(String(format: "%3d. %.3f  ", index + 1, song.similarity ?? 0) + seedColumn + name(song))
            }
        case .path:
            lines.append("path of \(songs.count) song\(songs.count == 1 ? "" : "s") (\(featureName)), "
                + "distance of each step:")
            for (index, song) in songs.enumerated() {
                let step = song.distance.map { String(format: "%6.3f", $0) } ?? "      "
                let role = song.role == .step ? "    " : song.role.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)
                lines.append(String(format: "%3d. %@ %@  ", index + 1, step, role) + name(song))
            }
            if let steps, songs.count > 1 {
                lines.append(String(format: "steps: mean %.3f, largest %.3f (even step on the straight line %.3f)",
                                    steps.mean, steps.largest, steps.even)
                    + (steps.gapsAfter.isEmpty ? "" : ", \(steps.gapsAfter.count) gap\(steps.gapsAfter.count == 1 ? "" : "s")"))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether each song's similarity is at most the one before it's.
    static func isSortedBySimilarity(_ songs: [Song]) -> Bool {
        zip(songs, songs.dropFirst()).allSatisfy { ($0.similarity ?? 0) >= ($1.similarity ?? 0) }
    }

    /// A path as people read it (``DocumentPath``): relative to `folder` when it lies under it.
    static func shownPath(_ path: String, relativeTo folder: String?) -> String {
        let shown = DocumentPath(path).text
        guard let folder, !folder.isEmpty else { return shown }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return path.hasPrefix(prefix) ? DocumentPath(String(path.dropFirst(prefix.count))).text : shown
    }
}
