import Clustering
import Foundation

/// `dendrogram.json`: the whole merge tree of agglomerative clustering, with
/// each leaf's song, so a user can see the collection's family tree.
///
/// The document's own ``Merge`` type, not the clustering's, is what the file holds
/// (`Golden/dendrogram-schema.json` pins the keys).
///
/// Node ids follow scipy's linkage matrix: leaves are `0..<leaves.count`,
/// merge i makes node `leaves.count + i`; merges come by increasing height.
public struct DendrogramDocument: Codable, Sendable, Equatable {
    /// One song at the bottom of the tree.
    public struct Leaf: Codable, Sendable, Equatable {
        /// The node id (the song's position in the clustered library).
        public var id: Int
        public var path: String
        /// What the picture shows: the song's ``SongTitle``.
        public var title: String
        /// The index in `playlists.json` of the song's playlist, nil if none.
        public var playlist: Int?

        public init(id: Int, path: String, title: String, playlist: Int?) {
            self.id = id
            self.path = path
            self.title = title
            self.playlist = playlist
        }

        private enum CodingKeys: String, CodingKey { case id, path, uri, title, playlist }

        /// Reads a leaf, taking its path from `uri` when there is one (``DocumentPath``).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int.self, forKey: .id)
            path = try DocumentPath(from: container, path: .path, uri: .uri).path
            title = try container.decode(String.self, forKey: .title)
            playlist = try container.decodeIfPresent(Int.self, forKey: .playlist)
        }

        /// Writes the path in its display form, and a `uri` with its exact bytes when it is not UTF-8.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try DocumentPath(path).encode(to: &container, path: .path, uri: .uri)
            try container.encode(title, forKey: .title)
            try container.encodeIfPresent(playlist, forKey: .playlist)
        }
    }

    /// One merge: two nodes joined at a height (a row of scipy's linkage matrix).
    public struct Merge: Codable, Sendable, Equatable {
        /// The node ids joined, `left < right`.
        public var left: Int
        public var right: Int
        /// The linkage distance at which they join, ≥ 0 (scipy's `Z[i, 2]`).
        public var height: Double
        /// Leaves under the new node (scipy's `Z[i, 3]`).
        public var size: Int

        public init(left: Int, right: Int, height: Double, size: Int) {
            self.left = left
            self.right = right
            self.height = height
            self.size = size
        }
    }

    /// `ward`, `average` or `complete`.
    public var linkage: String
    /// Playlists the tree was cut into.
    public var clusterCount: Int
    /// The height of the cut: between the last merge kept and the first removed.
    public var cutHeight: Double?
    public var leaves: [Leaf]
    public var merges: [Merge]

    public init(linkage: String, clusterCount: Int, cutHeight: Double?, leaves: [Leaf], merges: [Merge]) {
        self.linkage = linkage
        self.clusterCount = clusterCount
        self.cutHeight = cutHeight
        self.leaves = leaves
        self.merges = merges
    }

    /// The tree as SVG: root on the left, leaves on the right labelled by
    /// title and coloured by playlist, the cut as a dashed line, heights on
    /// an axis below. Self-contained (no script, fonts or files from elsewhere).
    ///
    /// - Complexity: O(n) elements; 14 pixels per leaf.
    public func svg() -> String {
        let n = leaves.count
        let rowHeight = 14.0, top = 44.0, left = 20.0, treeWidth = 520.0, labelWidth = 360.0
        let height = top + Double(max(n, 1)) * rowHeight + 50
        let width = left + treeWidth + labelWidth
        let maximum = max(merges.map(\.height).max() ?? 0, 1e-12)
        func x(_ value: Double) -> Double { left + treeWidth * (1 - value / maximum) }
        // Leaf order: depth first from the root, left child first.
        var rank = [Int](repeating: 0, count: n)
        let tree = Dendrogram(leafCount: n, linkage: Linkage(rawValue: linkage) ?? .ward, merges: merges.map {
            Dendrogram.Merge(left: $0.left, right: $0.right, height: $0.height, size: $0.size)
        })
        for (position, leaf) in tree.leafOrder().enumerated() { rank[leaf] = position }
        var nodeY = [Double](repeating: 0, count: max(2 * n - 1, 1))
        var nodeX = [Double](repeating: x(0), count: max(2 * n - 1, 1))
        for leaf in 0..<n { nodeY[leaf] = top + (Double(rank[leaf]) + 0.5) * rowHeight }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
            <title>Dendrogram (\(xmlEscaped(linkage)) linkage)</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(left))" y="24" font-size="14" font-weight="bold">\(n) songs, \(xmlEscaped(linkage)) linkage, \
            cut into \(clusterCount) playlist\(clusterCount == 1 ? "" : "s")</text>
            <g id="tree" fill="none" stroke="#555" stroke-width="1">

            """
        for (index, merge) in merges.enumerated() {
            let node = n + index
            let nodeLeft = x(merge.height)
            nodeX[node] = nodeLeft
            nodeY[node] = (nodeY[merge.left] + nodeY[merge.right]) / 2
            out += String(format: "<path d=\"M%.1f %.1fH%.1fV%.1fH%.1f\"/>\n", nodeX[merge.left], nodeY[merge.left],
                          nodeLeft, nodeY[merge.right], nodeX[merge.right])
        }
        out += "</g>\n"
        if let cutHeight, cutHeight > 0 {
            out += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e15759\" "
                + "stroke-dasharray=\"4 3\"/>\n", x(cutHeight), top - 6, x(cutHeight), top + Double(n) * rowHeight + 4)
        }
        out += "<g id=\"leaves\">\n"
        for leaf in leaves {
            let colour = leaf.playlist.map { Self.palette[$0 % Self.palette.count] } ?? "#888888"
            out += String(format: "<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"middle\" fill=\"%@\">%@</text>\n",
                          left + treeWidth + 6, nodeY[leaf.id], colour, xmlEscaped(leaf.title))
        }
        out += "</g>\n<g id=\"axis\" font-size=\"10\" fill=\"#333\">\n"
        let axisY = top + Double(n) * rowHeight + 18
        out += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
                      left, axisY - 10, left + treeWidth, axisY - 10)
        for tick in 0...4 {
            let value = maximum * Double(tick) / 4
            out += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.3g</text>\n", x(value), axisY + 4,
                          value)
        }
        out += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">merge height</text>\n",
                      left + treeWidth / 2, axisY + 20)
        out += "</g>\n</svg>\n"
        return out
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
                          "#9c755f", "#bab0ac"]
}
