import Clustering
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
    /// - Parameters:
    ///   - tracks: the songs, in the map's order (their tags name copies).
    ///   - points: `tracks` placed in the map's feature space, one row each.
    ///   - count: neighbours per song, ≥ 0 (0 for none); fewer when the library has fewer songs.
    ///   - jobs: threads, ≥ 1.
    ///   - cancellation: checked between songs.
    /// - Returns: per track, its neighbours nearest first, as indices into `tracks`.
    /// - Throws: ``ClusteringError/cancelled`` when cancelled; ``ClusteringError/invalidParameter(_:)``
    ///   for a negative count or points of another length.
    /// - Complexity: O(n² d) for n songs of d values, spread over `jobs` threads.
    static func nearest(_ tracks: [TrackAnalysis], points: FeatureMatrix, count: Int, jobs: Int,
                        cancellation: Cancellation) throws(ClusteringError) -> [[SongMapDocument.Neighbour]] {
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
        let workers = max(1, min(jobs, songCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var found: [(Int, [SongMapDocument.Neighbour])] = []
            for song in stride(from: worker, to: songCount, by: workers) {
                if cancellation.isCancelled {
                    failure.withLock { $0 = $0 ?? .cancelled }
                    return
                }
                do throws(ClusteringError) {
                    let matches = try SimilarityRanking.nearest(points: points, seeds: [song], count: count,
                                                                groups: groups, limits: limits).matches
                    found.append((song, matches.map {
                        let distance = Double($0.distance)
                        return SongMapDocument.Neighbour(song: $0.index, similarity: Atlas.similarity(distance, scale: scale),
                                                         distance: distance)
                    }))
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    return
                }
            }
            results.withLock { all in for (song, neighbours) in found { all[song] = neighbours } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0 }
    }
}
