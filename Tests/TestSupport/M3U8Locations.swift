/// The location lines of an M3U8 playlist: every line after an `#EXTINF` line.
public func m3u8Locations(in text: String) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return lines.indices.filter { $0 > 0 && lines[$0 - 1].hasPrefix("#EXTINF:") }.map { lines[$0] }
}
