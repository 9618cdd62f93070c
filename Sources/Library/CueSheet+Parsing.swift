extension CueSheet {
    /// Reads a sheet's bytes: chooses their encoding (``CueSheetText``), parses
    /// the lines and checks their order. `FILE` names are not resolved.
    ///
    /// - Parameters:
    ///   - bytes: the sheet's contents, at most ``byteLimit``.
    ///   - sheetPath: the sheet, for errors (and later for resolving its `FILE` names).
    ///   - isEmbedded: whether the text came from an audio file's `CUESHEET` tag.
    /// - Throws: ``CueSheetError`` naming `sheetPath` and the first fault.
    public static func parse(bytes: [UInt8], sheetPath: String, isEmbedded: Bool = false) throws(CueSheetError) -> CueSheet {
        guard bytes.count <= byteLimit else {
            throw CueSheetError(sheet: sheetPath, fault: .tooLarge(byteCount: bytes.count, limit: byteLimit))
        }
        guard let (text, encoding) = CueSheetText.decode(bytes) else {
            throw CueSheetError(sheet: sheetPath, fault: .notText)
        }
        return try parse(text: text, sheetPath: sheetPath, encoding: encoding, isEmbedded: isEmbedded)
    }

    /// Parses a sheet's text and checks its order (see the type's rules). `FILE` names are not resolved.
    ///
    /// Checks: every `TRACK` after a `FILE`; track numbers 1 or more and
    /// increasing; index numbers 0–99 and increasing within a track, every
    /// audio track with an `INDEX 01`; within a file, no index before an
    /// earlier one, and each `INDEX 01` after the previous track's; times as
    /// `mm:ss:ff` with seconds below 60 and frames below 75; at most
    /// ``trackLimit`` tracks and at least one audio track.
    ///
    /// - Throws: ``CueSheetError`` naming `sheetPath`, the line and the first fault.
    public static func parse(text: String, sheetPath: String, encoding: CueSheetText.Encoding = .utf8,
                             isEmbedded: Bool = false) throws(CueSheetError) -> CueSheet {
        var sheet = CueSheet(sheetPath: sheetPath, isEmbedded: isEmbedded, encoding: encoding, title: nil, performer: nil,
                             files: [], tracks: [])
        func fail(_ line: Int?, _ fault: CueSheetError.Fault) -> CueSheetError {
            CueSheetError(sheet: sheetPath, line: line, fault: fault)
        }
        var lineNumber = 0
        for rawLine in lines(of: text) {
            lineNumber += 1
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            let command = line.prefix { $0 != " " && $0 != "\t" }
            let rest = line.dropFirst(command.count).drop { $0 == " " || $0 == "\t" }
            switch command.uppercased() {
            case "FILE":
                let (name, type) = fileNameAndType(rest)
                guard !name.isEmpty else { throw fail(lineNumber, .malformed("FILE has no file name")) }
                sheet.files.append(File(name: name, type: type.uppercased(), line: lineNumber, path: nil))
            case "TRACK":
                guard !sheet.files.isEmpty else { throw fail(lineNumber, .malformed("TRACK before any FILE")) }
                let words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard let first = words.first, let number = smallNumber(first), number >= 1 else {
                    throw fail(lineNumber, .malformed("TRACK needs a track number of 1 or more, not \"\(rest)\""))
                }
                if let previous = sheet.tracks.last, number <= previous.number {
                    throw fail(lineNumber, .trackNumberNotIncreasing(track: number, previous: previous.number))
                }
                guard sheet.tracks.count < trackLimit else { throw fail(lineNumber, .tooManyTracks(limit: trackLimit)) }
                let type = words.count > 1 ? words[1].uppercased() : "AUDIO"
                sheet.tracks.append(Track(number: number, type: type, title: nil, performer: nil, pregapFrames: nil,
                                          postgapFrames: nil, indexes: [], line: lineNumber))
            case "INDEX":
                guard let track = sheet.tracks.last else { throw fail(lineNumber, .malformed("INDEX before any TRACK")) }
                let words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard words.count >= 2, let number = smallNumber(words[0]), number <= 99 else {
                    throw fail(lineNumber, .malformed("INDEX needs a number 00–99 and a time, not \"\(rest)\""))
                }
                guard let frames = frames(words[1]) else {
                    throw fail(lineNumber, .malformed("INDEX \(words[0]) has the time \"\(words[1])\"; a time is mm:ss:ff, ss below 60, ff below 75"))
                }
                if let previous = track.indexes.last, number <= previous.number {
                    throw fail(lineNumber, .indexNumberNotIncreasing(track: track.number, index: number, previous: previous.number))
                }
                sheet.tracks[sheet.tracks.count - 1].indexes.append(
                    Index(number: number, frames: frames, file: sheet.files.count - 1, line: lineNumber))
            case "PREGAP", "POSTGAP":
                guard !sheet.tracks.isEmpty else { throw fail(lineNumber, .malformed("\(command.uppercased()) before any TRACK")) }
                let word = rest.prefix { $0 != " " && $0 != "\t" }
                guard let frames = frames(word) else {
                    throw fail(lineNumber, .malformed("\(command.uppercased()) has the time \"\(word)\"; a time is mm:ss:ff, ss below 60, ff below 75"))
                }
                if command.uppercased() == "PREGAP" {
                    sheet.tracks[sheet.tracks.count - 1].pregapFrames = frames
                } else {
                    sheet.tracks[sheet.tracks.count - 1].postgapFrames = frames
                }
            case "TITLE", "PERFORMER":
                let value = textValue(rest)
                let isTitle = command.uppercased() == "TITLE"
                if sheet.tracks.isEmpty {
                    if isTitle { sheet.title = value } else { sheet.performer = value }
                } else if isTitle {
                    sheet.tracks[sheet.tracks.count - 1].title = value
                } else {
                    sheet.tracks[sheet.tracks.count - 1].performer = value
                }
            default:
                continue    // REM, CATALOG, ISRC, FLAGS, SONGWRITER, CDTEXTFILE, blank lines, and what no reader knows
            }
        }
        try checkOrder(sheet)
        return sheet
    }

    /// Checks that every audio track has an `INDEX 01` and that no index lies
    /// before an earlier one of the same file; at least one audio track.
    private static func checkOrder(_ sheet: CueSheet) throws(CueSheetError) {
        var lastInFile: [Int: (track: Int, index: Int, frames: Int)] = [:]
        var lastStartInFile: [Int: (track: Int, frames: Int)] = [:]
        var audioTracks = 0
        for track in sheet.tracks {
            if track.isAudio {
                guard track.start != nil else {
                    throw CueSheetError(sheet: sheet.sheetPath, line: track.line, fault: .missingIndex01(track: track.number))
                }
                audioTracks += 1
            }
            for index in track.indexes {
                if let earlier = lastInFile[index.file], index.frames < earlier.frames {
                    throw CueSheetError(sheet: sheet.sheetPath, line: index.line, fault: .indexBeforeEarlierIndex(
                        track: track.number, index: index.number, frames: index.frames,
                        earlierTrack: earlier.track, earlierIndex: earlier.index, earlierFrames: earlier.frames))
                }
                if index.number == 1, let earlier = lastStartInFile[index.file], index.frames <= earlier.frames {
                    throw CueSheetError(sheet: sheet.sheetPath, line: index.line, fault: .indexBeforeEarlierIndex(
                        track: track.number, index: 1, frames: index.frames,
                        earlierTrack: earlier.track, earlierIndex: 1, earlierFrames: earlier.frames))
                }
                lastInFile[index.file] = (track.number, index.number, index.frames)
                if index.number == 1 { lastStartInFile[index.file] = (track.number, index.frames) }
            }
        }
        guard audioTracks > 0 else { throw CueSheetError(sheet: sheet.sheetPath, fault: .noTracks) }
    }

    /// The lines of `text`, split at LF, CR LF and CR.
    static func lines(of text: String) -> [Substring] {
        // Character-wise splitting: "\r\n" is one Character in Swift.
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    }

    /// A `FILE` line's name and type: the quoted name (up to the last quote on
    /// the line) and the word after it, or for an unquoted name every word but
    /// the last (when there are two or more).
    static func fileNameAndType(_ rest: Substring) -> (name: String, type: String) {
        let trimmed = rest.trimmingTrailingBlanks()
        if trimmed.first == "\"" {
            let afterQuote = trimmed.dropFirst()
            guard let closing = afterQuote.lastIndex(of: "\"") else { return (String(afterQuote), "") }
            let type = afterQuote[afterQuote.index(after: closing)...].drop { $0 == " " || $0 == "\t" }
            return (String(afterQuote[..<closing]), String(type.prefix { $0 != " " && $0 != "\t" }))
        }
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 2 else { return (String(trimmed), "") }
        let type = words.last!
        return (String(trimmed[..<type.startIndex].trimmingTrailingBlanks()), String(type))
    }

    /// A `TITLE`/`PERFORMER` value: between the first and the last quote when quoted, else the rest of the line.
    static func textValue(_ rest: Substring) -> String? {
        let trimmed = rest.trimmingTrailingBlanks()
        var value = trimmed
        if trimmed.first == "\"" {
            let afterQuote = trimmed.dropFirst()
            value = afterQuote.lastIndex(of: "\"").map { afterQuote[..<$0] } ?? afterQuote
        }
        return value.isEmpty ? nil : String(value)
    }

    /// A number of one to four ASCII digits.
    static func smallNumber(_ word: Substring) -> Int? {
        guard (1...4).contains(word.count), word.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(word)
    }

    /// `mm:ss:ff` in frames: minutes of one to five digits, seconds below 60, frames below 75.
    static func frames(_ word: Substring) -> Int? {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3,
              (1...5).contains(parts[0].count), (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let minutes = Int(parts[0]), let seconds = Int(parts[1]), let frames = Int(parts[2]),
              seconds < 60, frames < framesPerSecond else { return nil }
        return (minutes * 60 + seconds) * framesPerSecond + frames
    }
}

extension Substring {
    /// The text without trailing spaces and tabs.
    fileprivate func trimmingTrailingBlanks() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return self[startIndex..<end]
    }
}
