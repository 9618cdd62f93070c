import Export
import Foundation

extension PlaylistUpdate {
    /// A fresh clustering's document, its playlists matched to an earlier set's by their songs.
    ///
    /// A new playlist that holds at least half of an old playlist's songs (those still in the
    /// library) takes over that playlist's id, name, file name and creation time, largest overlap
    /// first, one old playlist per new one. The others get new ids (after every id the folder has
    /// used), the lowest free numbers and their own names. The changes list the old playlists that
    /// took no new one over: merged (most of their songs went to a playlist that took another's id)
    /// or split (their songs spread over several).
    ///
    /// - Parameters:
    ///   - fresh: the new clustering's document (``PlaylistDocument/init(_:agreement:)``).
    ///   - previous: the earlier set, read back.
    ///   - unavailableFiles: file names a person changed, renamed or removed since SongAtlas wrote them;
    ///     no playlist takes them over (a matched playlist then gets a file of its own).
    ///   - now: ``timestamp(_:)`` of the run.
    ///   - reason: why the earlier set was not updated, for the changes.
    public static func matched(_ fresh: PlaylistDocument, previous: PlaylistDocument, builder: PlaylistBuilder,
                               unavailableFiles: Set<String> = [], now: String, reason: String? = nil)
        -> PlaylistDocument
    {
        var document = stamped(fresh, builder: builder, now: now, firstId: nextId(after: previous))
        var nextId = nextId(after: previous)
        let present = Set(fresh.playlists.flatMap { $0.tracks.map(\.slot) })
        let oldSongs = previous.playlists.map { Set($0.tracks.filter { $0.bridge != true }.map(\.slot)).intersection(present) }
        let newSongs = fresh.playlists.map { Set($0.tracks.filter { $0.bridge != true }.map(\.slot)) }
        var oldPlaylistOf: [SongSlot: Int] = [:]
        var addedTime: [SongSlot: String] = [:]
        for (index, entry) in previous.playlists.enumerated() {
            for track in entry.tracks where track.bridge != true {
                oldPlaylistOf[track.slot] = index
                addedTime[track.slot] = track.added
            }
        }

        // Candidates: a new playlist holding at least half of an old one's remaining songs; largest overlap first.
        var candidates: [(old: Int, new: Int, overlap: Int)] = []
        for old in previous.playlists.indices where !oldSongs[old].isEmpty {
            for new in fresh.playlists.indices {
                let overlap = oldSongs[old].intersection(newSongs[new]).count
                if overlap * 2 >= oldSongs[old].count, overlap > 0 { candidates.append((old, new, overlap)) }
            }
        }
        candidates.sort { ($0.overlap, -$0.old, -$0.new) > ($1.overlap, -$1.old, -$1.new) }
        var oldOfNew: [Int: Int] = [:]
        var takenOld = Set<Int>()
        for candidate in candidates where oldOfNew[candidate.new] == nil && !takenOld.contains(candidate.old) {
            oldOfNew[candidate.new] = candidate.old
            takenOld.insert(candidate.old)
        }

        // Matched playlists take over the old identity; the others get new ids, free numbers and file names.
        var usedNumbers = Set(oldOfNew.values.compactMap { number(in: previous.playlists[$0].name) })
        var usedFiles = unavailableFiles
        for old in oldOfNew.values where !unavailableFiles.contains(previous.playlists[old].file) {
            usedFiles.insert(previous.playlists[old].file)
        }
        var renamed: [PlaylistDocument.Changes.Fate] = []
        let width = fresh.playlists.count >= 100 ? 3 : 2
        for new in document.playlists.indices {
            if let old = oldOfNew[new] {
                let oldEntry = previous.playlists[old]
                document.playlists[new].id = oldEntry.id ?? { defer { nextId += 1 }; return nextId }()
                document.playlists[new].name = oldEntry.name
                document.playlists[new].created = oldEntry.created ?? now
                document.playlists[new].updated = newSongs[new] == Set(oldEntry.tracks.filter { $0.bridge != true }.map(\.slot))
                    ? oldEntry.updated ?? now : now
                if unavailableFiles.contains(oldEntry.file) {
                    document.playlists[new].file = freeFile(for: oldEntry.name, avoiding: &usedFiles)
                    renamed.append(.init(id: document.playlists[new].id!, name: oldEntry.name,
                                         into: [document.playlists[new].file]))
                } else {
                    document.playlists[new].file = oldEntry.file
                }
            } else {
                document.playlists[new].id = nextId
                nextId += 1
                let words = fresh.playlists[new].name
                if number(in: words) != nil, let dash = words.range(of: " - ") {
                    var free = 1
                    while usedNumbers.contains(free) { free += 1 }
                    usedNumbers.insert(free)
                    let text = String(free)
                    document.playlists[new].name = String(repeating: "0", count: max(0, width - text.count)) + text
                        + words[dash.lowerBound...]
                }
                document.playlists[new].file = freeFile(for: document.playlists[new].name, avoiding: &usedFiles)
            }
            for track in document.playlists[new].tracks.indices {
                let slot = document.playlists[new].tracks[track].slot
                if let old = oldPlaylistOf[slot], oldOfNew[new] == old, let time = addedTime[slot] {
                    document.playlists[new].tracks[track].added = time
                }
            }
        }
        document.nextId = nextId
        document.smallMerges = fresh.smallMerges?.map { merge in
            var renamed = merge
            if let index = fresh.playlists.firstIndex(where: { $0.name == merge.into }) {
                renamed.into = document.playlists[index].name
            }
            return renamed
        }

        // What became of the old playlists that no new one took over, and of their songs.
        var split: [PlaylistDocument.Changes.Fate] = []
        var merged: [PlaylistDocument.Changes.Fate] = []
        var moved = 0
        for new in fresh.playlists.indices {
            for slot in newSongs[new] {
                if let old = oldPlaylistOf[slot], oldOfNew[new] != old { moved += 1 }
            }
        }
        for old in previous.playlists.indices where !takenOld.contains(old) && !oldSongs[old].isEmpty {
            let shares = fresh.playlists.indices.map { (new: $0, count: oldSongs[old].intersection(newSongs[$0]).count) }
                .filter { $0.count > 0 }.sorted { ($0.count, -$0.new) > ($1.count, -$1.new) }
            let fate = PlaylistDocument.Changes.Fate(id: previous.playlists[old].id ?? -1, name: previous.playlists[old].name,
                                                     into: shares.map { document.playlists[$0.new].name })
            if let first = shares.first, oldOfNew[first.new] != nil {
                merged.append(fate)
            } else {
                split.append(fate)
            }
        }
        let gone = previous.playlists.reduce(0) { total, entry in
            total + entry.tracks.filter { $0.bridge != true && !present.contains($0.slot) }.count
        }
        document.changes = PlaylistDocument.Changes(
            mode: .recluster, keptPlaylists: oldOfNew.count, gone: gone, moved: moved,
            leftAlone: unavailableFiles.sorted(), split: split, merged: merged, renamed: renamed, reason: reason)
        return document
    }

    /// The leading number of a playlist name (`03 - rock` → 3), if it has one.
    public static func number(in name: String) -> Int? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, name.dropFirst(digits.count).hasPrefix(" - ") else { return nil }
        return Int(digits)
    }

    /// The file name for a playlist name, not among `used` (then with ` (2)`, ` (3)`…), marked used.
    static func freeFile(for name: String, avoiding used: inout Set<String>) -> String {
        let base = PlaylistDocument.fileName(for: name)
        var file = base + ".m3u8"
        var suffix = 2
        while used.contains(file) {
            file = base + " (\(suffix)).m3u8"
            suffix += 1
        }
        used.insert(file)
        return file
    }
}

extension PlaylistUpdate {
    /// What a recluster did to an earlier playlist that did not simply keep its id, name and file.
    public enum FateKind: String, Sendable, Equatable {
        case merged, split, renamed
    }

    /// A recluster's merged, split and renamed playlists together, in the order of the earlier set's
    /// files (by the number their names start with, then by name), so a summary lists 01, 03, 05.
    public static func fatesInFileOrder(_ changes: PlaylistDocument.Changes)
        -> [(kind: FateKind, fate: PlaylistDocument.Changes.Fate)]
    {
        let all = changes.merged.map { (kind: FateKind.merged, fate: $0) } + changes.split.map { (kind: .split, fate: $0) }
            + changes.renamed.map { (kind: .renamed, fate: $0) }
        return all.enumerated().sorted { a, b in
            (number(in: a.element.fate.name) ?? Int.max, a.element.fate.name, a.offset)
                < (number(in: b.element.fate.name) ?? Int.max, b.element.fate.name, b.offset)
        }.map(\.element)
    }
}
