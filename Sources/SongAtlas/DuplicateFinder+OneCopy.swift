import FilePaths
import Foundation
import Library

/// A library with one copy of each recording: the files `songatlas duplicates` would keep.
///
/// What `playlists`, `map`, `similar` and `path` work on, so that no playlist,
/// map, song list or path holds two copies of one recording. Made by
/// ``Atlas/oneCopy(_:keeping:keepingPaths:)``.
public struct OneCopyLibrary: Sendable {
    /// The library's tracks without the copies set aside, in the library's order.
    public var tracks: [TrackAnalysis]
    /// The library's tracks set aside as other copies of a recording, in the library's order.
    public var setAside: [TrackAnalysis]
    /// The duplicate search the choice was made from (``DuplicateFinder/search(_:space:fileSize:)``).
    public var search: DuplicateSearch

    /// The line a command's summary gives when copies were set aside, nil when none were:
    /// "set aside N duplicate copies (songatlas duplicates lists them)".
    public var summary: String? {
        guard !setAside.isEmpty else { return nil }
        return "set aside \(setAside.count) duplicate cop\(setAside.count == 1 ? "y" : "ies") (songatlas duplicates lists them)"
    }
}

extension Atlas {
    /// The kept copy of each recording in `library`: the same groups and kept-copy rule as
    /// `songatlas duplicates` (``DuplicateFinder/search(_:space:fileSize:)``, ``DuplicateFinder/keptFirst(_:_:fileSize:)``).
    ///
    /// A song the caller names (a seed, an anchor, a `--seed-song`) is kept in place of its group's
    /// kept copy, and the group's other copies are set aside: a seed's own copies are never
    /// recommended next to it. `songs` need not be in `library`; a song outside it takes part in
    /// the search (so the library's copies of it are set aside) but is not added to ``OneCopyLibrary/tracks``.
    /// Paths are compared as absolute paths (``PathKey``). The search reads the fingerprints the
    /// tracks already hold; nothing is decoded. It is remembered in the cache the tracks were read from
    /// (``DuplicateFinder/rememberedSearch(_:fileSize:)``): over an unchanged library it is not made again
    /// and the fingerprints are not read.
    ///
    /// - Parameters:
    ///   - library: the analysed library (``LibraryAnalysis/tracks``, ``CachedLibrary/tracks``).
    ///   - songs: analysed songs named by the caller, kept whatever their group.
    ///   - keepingPaths: paths of library songs named by the caller, kept likewise.
    /// - Returns: the library without the copies set aside.
    /// - Complexity: that of ``DuplicateFinder/search(_:space:fileSize:)`` on the library and `songs`.
    public static func oneCopy(_ library: [TrackAnalysis], keeping songs: [TrackAnalysis] = [],
                               keepingPaths: [String] = []) -> OneCopyLibrary {
        let here = FileManager.default.currentDirectoryPath
        func key(_ path: String) -> String { PathKey.of(path, currentDirectory: here) }
        // A song is its file and, for a cue sheet's track, the track number: the tracks of one album image
        // are different songs, and setting one aside must not set its neighbours aside.
        func songKey(_ track: TrackAnalysis) -> String {
            key(track.path) + (track.cueTrackNumber.map { "\u{1F}\($0)" } ?? "")
        }
        var searched = library
        var present = Set(library.map(songKey))
        for song in songs where present.insert(songKey(song)).inserted { searched.append(song) }
        let search = DuplicateFinder.rememberedSearch(searched)
        let namedSongs = Set(songs.map(songKey))
        let namedFiles = Set(keepingPaths.map(key))
        var setAside = Set<String>()
        for group in search.groups {
            let members = [group.keep] + group.copies
            let wanted = members.filter { namedSongs.contains(songKey($0)) || namedFiles.contains(key($0.path)) }
                .map(songKey)
            let kept = wanted.isEmpty ? [songKey(members[0])] : Set(wanted)
            for member in members.map(songKey) where !kept.contains(member) { setAside.insert(member) }
        }
        var result = OneCopyLibrary(tracks: [], setAside: [], search: search)
        for track in library {
            if setAside.contains(songKey(track)) { result.setAside.append(track) } else { result.tracks.append(track) }
        }
        return result
    }
}
