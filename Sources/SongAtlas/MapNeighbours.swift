import Clustering
import DSP
import Export
import Foundation
import Library
import Synchronization

/// Each song's nearest songs for the map, found exactly as `similar` finds them.
///
/// **Method.** For every song, ``SimilarityRanking/nearest(points:seeds:count:groups:limits:candidates:)``
/// with that song as the one seed, in the points the map was trained on (the same
/// ``FeatureSpace`` `similar` uses for the same feature options), with `similar`'s own rule for
/// copies: a song tagged with the same artist and title (``SongIdentity``) or closer than
/// ``SimilarOptions/defaultDuplicateFraction`` of the library's typical distance is a copy and
/// is left out. There are no artist or album caps: the map shows what lies nearest. Similarity
/// is `similar`'s: exp(−(d / s)²) for the distance d and the typical distance s.
///
/// Copies that the library layer already left out (see the duplicates work) never reach
/// this function; the distance rule catches the copies it did not.
enum MapNeighbours {
    /// The nearest songs of every track.
    ///
    /// Each song's candidates are its `4·count + 32` nearest songs, the list ``SimilarityRanking`` takes
    /// first, found exactly by ``UnitIndexedNeighbours`` with the map's units as pivots instead of a
    /// scan of every song per song; `similar`'s rule for copies then walks them in order. A song whose
    /// candidates are all copies falls back to ``SimilarityRanking`` itself. The lists are those of
    /// ``SimilarityRanking/nearest(points:seeds:count:groups:limits:candidates:)`` with the song as the seed.
    ///
    /// - Parameters:
    ///   - tracks: the songs, in the map's order (their tags name copies).
    ///   - points: `tracks` placed in the map's feature space, one row each.
    ///   - units: each song's best-matching unit on the map, in `0..<codebook.rowCount`.
    ///   - codebook: the map's codebook, one row per unit, as many columns as `points`.
    ///   - count: neighbours per song, ≥ 0 (0 for none); fewer when the library has fewer songs.
    ///   - jobs: threads, ≥ 1.
    ///   - cancellation: checked between the map's units.
    /// - Returns: per track, its neighbours nearest first, as indices into `tracks`.
    /// - Throws: ``ClusteringError/cancelled`` when cancelled; ``ClusteringError/invalidParameter(_:)``
    ///   for a negative count, or points or units of another length.
    /// - Complexity: O(n × units × d) to O(n² d) for n songs of d values (see ``UnitIndexedNeighbours``),
    ///   spread over `jobs` threads.
    static func nearest(_ tracks: [TrackAnalysis], points: FeatureMatrix, units: [Int], codebook: FeatureMatrix,
                        count: Int, jobs: Int, cancellation: Cancellation) throws(ClusteringError)
        -> [[SongMapDocument.Neighbour]]
    {
        guard count >= 0 else { throw .invalidParameter("neighbours=\(count) must be at least 0") }
        guard points.rowCount == tracks.count else {
            throw .invalidParameter("\(points.rowCount) points for \(tracks.count) songs")
        }
        let songCount = tracks.count
        guard count > 0, songCount > 1, points.columnCount > 0 else {
            return [[SongMapDocument.Neighbour]](repeating: [], count: songCount)
        }
        let scale = Atlas.typicalDistance(points)
        let limits = SimilarityRanking.Limits(
            maximumPerArtist: 0, maximumPerAlbum: 0,
            duplicateDistance: Float(SimilarOptions.defaultDuplicateFraction * scale))
        let groups = SongIdentity.groups(tracks)
        let results = Mutex([[SongMapDocument.Neighbour]](repeating: [], count: songCount))
        let failure = Mutex<ClusteringError?>(nil)
        let candidateCount = min(4 * count + 32, songCount - 1)
        try UnitIndexedNeighbours.search(points: points, units: units, codebook: codebook, count: candidateCount,
                                         jobs: jobs, shouldStop: cancellation.shouldStop) { song, candidates in
            var matches = accepted(candidates, seed: song, count: count, groups: groups, limits: limits, points: points)
            if matches.count < count && candidates.count < songCount - 1 {
                // Every candidate was a copy: rank the whole library for this song.
                do throws(ClusteringError) {
                    matches = try SimilarityRanking.nearest(points: points, seeds: [song], count: count, groups: groups,
                                                            limits: limits).matches.map { ($0.index, $0.distance) }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    return
                }
            }
            let neighbours = matches.map { match in
                let distance = Double(match.distance)
                return SongMapDocument.Neighbour(song: match.index, similarity: Atlas.similarity(distance, scale: scale),
                                                 distance: distance)
            }
            results.withLock { $0[song] = neighbours }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0 }
    }

    /// `similar`'s walk over one seed's candidates, nearest first: a candidate of the seed's work or of a
    /// song already taken, or closer than the duplicate distance to the seed or to a song already taken,
    /// is a copy and is skipped (``SimilarityRanking``'s rule, with no artist or album caps).
    ///
    /// - Parameters:
    ///   - candidates: the seed's nearest songs, sorted by (squared distance, row).
    ///   - seed: the song whose neighbours these are.
    ///   - count: songs to take, ≥ 1.
    ///   - groups: work ids per song.
    ///   - limits: the duplicate distance (caps are not applied).
    ///   - points: one row per song.
    /// - Returns: up to `count` songs with their distances to the seed; fewer when the candidates run out.
    static func accepted(_ candidates: [UnitIndexedNeighbours.Neighbour], seed: Int, count: Int, groups: SongGroups,
                         limits: SimilarityRanking.Limits, points: FeatureMatrix) -> [(index: Int, distance: Float)] {
        let threshold = limits.duplicateDistance * limits.duplicateDistance
        let d = points.columnCount
        var works: Set<Int> = groups.work[seed] != SongGroups.unknown ? [groups.work[seed]] : []
        var taken: [(index: Int, distance: Float)] = []
        points.values.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            for candidate in candidates where taken.count < count {
                let row = candidate.index
                if groups.work[row] != SongGroups.unknown && works.contains(groups.work[row]) { continue }
                if threshold > 0 {
                    if candidate.squaredDistance < threshold { continue }
                    if taken.contains(where: {
                        VectorKernels.squaredDistance(base + row * d, base + $0.index * d, count: d) < threshold
                    }) { continue }
                }
                taken.append((row, candidate.squaredDistance.squareRoot()))
                if groups.work[row] != SongGroups.unknown { works.insert(groups.work[row]) }
            }
        }
        return taken
    }
}
