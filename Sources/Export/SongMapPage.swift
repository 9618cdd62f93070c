import Foundation

/// A song-map picture: the U-matrix landscape and the songs of a ``SongMapDocument``, as SVG or a page.
public struct SongMapDrawing: Sendable {
    public struct Cell: Sendable {
        /// Centre on the plane, in unit spacings.
        public var x: Double
        public var y: Double
        /// 0 (close to its neighbours) … 1 (far apart).
        public var height: Double
        public init(x: Double, y: Double, height: Double) {
            self.x = x
            self.y = y
            self.height = height
        }
    }

    public var title: String
    public var hexagonal: Bool
    public var cells: [Cell]
    public var songs: [SongMapDocument.Song]
    /// What each song's `<audio>` element plays (a relative URL or a file:// URL), in song order.
    public var sources: [String]
    public var clusterNames: [String]
    /// Each song's lines in an M3U8 playlist (`#EXTINF` and location, as ``M3U8Playlist`` writes them),
    /// in song order: a selection saved from the page is `#EXTM3U` and these. Empty turns saving off.
    public var playlistEntries: [String]

    /// - Parameters:
    ///   - sources: one per song.
    ///   - playlistEntries: one per song, or none.
    public init(title: String, hexagonal: Bool, cells: [Cell], songs: [SongMapDocument.Song], sources: [String],
                clusterNames: [String], playlistEntries: [String] = []) {
        precondition(sources.count == songs.count, "one source per song")
        precondition(playlistEntries.isEmpty || playlistEntries.count == songs.count, "one playlist entry per song")
        self.title = title
        self.hexagonal = hexagonal
        self.cells = cells
        self.songs = songs
        self.sources = sources
        self.clusterNames = clusterNames
        self.playlistEntries = playlistEntries
    }

    /// The songs as the page's script reads them (what is shown, not what is stored), one array per
    /// field, so no field name is repeated per song: at 100,000 songs the names alone would add ~10 MB.
    private struct PageSongs: Encodable {
        var x: [Double] = []
        var y: [Double] = []
        var title: [String] = []
        var artist: [String] = []
        var path: [String] = []
        var source: [String] = []
        var cluster: [Int] = []
        /// How many neighbours each song has; `near`, `similarity` and `distance` hold them song after
        /// song, nearest first (indices, and similarity and distance rounded for the page).
        var nearCount: [Int] = []
        var near: [Int] = []
        var similarity: [Double] = []
        var distance: [Double] = []
        /// Each song's M3U8 lines, or "" where they are `#EXTINF:<extinf>,<name>` and the song's path
        /// (name as the page shows it: "artist – title", or the title); both empty when the page cannot
        /// save selections.
        var entry: [String] = []
        /// The `#EXTINF` length of a song whose `entry` is "", else "".
        var extinf: [String] = []
    }

    /// The song data of the page (``PageSongs``).
    private func pageSongs() -> PageSongs {
        var page = PageSongs()
        for (index, song) in songs.enumerated() {
            let title = song.displayTitle, artist = song.artist ?? "", path = DocumentPath(song.path).text
            page.x.append(song.x)
            page.y.append(song.y)
            page.title.append(title)
            page.artist.append(artist)
            page.path.append(path)
            page.source.append(sources[index])
            page.cluster.append(song.cluster)
            page.nearCount.append(song.neighbours.count)
            page.near += song.neighbours.map(\.song)
            page.similarity += song.neighbours.map { Self.rounded($0.similarity, digits: 3) }
            page.distance += song.neighbours.map { Self.rounded($0.distance, digits: 4) }
            guard !playlistEntries.isEmpty else { continue }
            let entry = playlistEntries[index], name = artist.isEmpty ? title : artist + " – " + title
            if entry.hasPrefix("#EXTINF:"), let comma = entry.firstIndex(of: ","),
               entry == String(entry[..<comma]) + "," + name + "\n" + path + "\n" {
                page.entry.append("")
                page.extinf.append(String(entry[entry.index(entry.startIndex, offsetBy: 8)..<comma]))
            } else {
                page.entry.append(entry)
                page.extinf.append("")
            }
        }
        return page
    }

    /// `value` rounded to `digits` decimals, so the page carries no more digits than it shows.
    private static func rounded(_ value: Double, digits: Double) -> Double {
        guard value.isFinite else { return 0 }
        let scale = pow(10, digits)
        return (value * scale).rounded() / scale
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
                          "#9c755f", "#17becf", "#bcbd22", "#7f7f7f"]

    static func colour(_ cluster: Int) -> String { palette[cluster % palette.count] }

    /// Plane extent with a margin of one unit.
    var bounds: (minX: Double, minY: Double, width: Double, height: Double) {
        let xs = cells.map(\.x), ys = cells.map(\.y)
        let minX = (xs.min() ?? 0) - 1, minY = (ys.min() ?? 0) - 1
        return (minX, minY, (xs.max() ?? 0) + 1 - minX, (ys.max() ?? 0) + 1 - minY)
    }

    /// The U-matrix grey for a cell: darker where neighbouring units are alike, lighter where they are far
    /// apart, as every SongAtlas picture shades similarity (the segment plot's matrix too).
    ///
    /// - Parameter height: 0 (close to its neighbours) … 1 (far apart); a value outside, or NaN, is clamped.
    static func grey(height: Double) -> Int {
        Int((120 + 125 * (height.isFinite ? min(max(height, 0), 1) : 1)).rounded())   // never traps on NaN
    }

    /// The U-matrix cells as SVG shapes: darker where neighbouring units are alike (``grey(height:)``).
    func landscape() -> String {
        var out = ""
        for cell in cells {
            let grey = Self.grey(height: cell.height)
            let fill = "rgb(\(grey),\(grey),\(min(255, grey + 8)))"
            if hexagonal {
                let radius = 0.58
                let points = (0..<6).map { corner -> String in
                    let angle = Double.pi / 3 * Double(corner) + Double.pi / 6
                    return String(format: "%.3f,%.3f", cell.x + radius * cos(angle), cell.y + radius * sin(angle))
                }.joined(separator: " ")
                out += "<polygon points=\"\(points)\" fill=\"\(fill)\"/>\n"
            } else {
                out += String(format: "<rect x=\"%.3f\" y=\"%.3f\" width=\"1.02\" height=\"1.02\" fill=\"%@\"/>\n",
                              cell.x - 0.5, cell.y - 0.5, fill)
            }
        }
        return out
    }

    /// Where each playlist's name goes, once: on the playlist's song nearest the mean of its songs'
    /// positions, so the name sits on the region even when the region is not convex. Playlists with
    /// no song on the map get none.
    func regionAnchors() -> [(cluster: Int, x: Double, y: Double)] {
        var sums: [Int: (x: Double, y: Double, count: Int)] = [:]
        for song in songs {
            let sum = sums[song.cluster, default: (0, 0, 0)]
            sums[song.cluster] = (sum.x + song.x, sum.y + song.y, sum.count + 1)
        }
        return sums.keys.sorted().compactMap { cluster in
            let sum = sums[cluster]!
            let meanX = sum.x / Double(sum.count), meanY = sum.y / Double(sum.count)
            let nearest = songs.filter { $0.cluster == cluster }.min {
                ($0.x - meanX) * ($0.x - meanX) + ($0.y - meanY) * ($0.y - meanY)
                    < ($1.x - meanX) * ($1.x - meanX) + ($1.y - meanY) * ($1.y - meanY)
            }!
            return (cluster, nearest.x, nearest.y - 0.42)
        }
    }

    /// The playlists' names on the map, once each, in map units (``regionAnchors()``).
    func regionNames(fontSize: Double) -> String {
        regionAnchors().map { anchor in
            String(format: "<text class=\"region\" x=\"%.3f\" y=\"%.3f\" text-anchor=\"middle\" font-size=\"%.3f\" "
                + "font-weight=\"bold\" fill=\"rgba(0,0,0,0.7)\" stroke=\"white\" stroke-width=\"%.3f\" paint-order=\"stroke\">%@</text>\n",
                   anchor.x, anchor.y, fontSize, fontSize / 6,
                   xmlEscaped(clusterNames.indices.contains(anchor.cluster) ? clusterNames[anchor.cluster] : "\(anchor.cluster)"))
        }.joined()
    }

    /// The static SVG shows each song's title beside its dot up to this many songs.
    static let svgLabelLimit = 300

    /// A static SVG picture: landscape, dots, the playlists' names on their regions, song titles (up to
    /// ``svgLabelLimit`` songs) and a legend of the playlists and of the landscape's shading.
    public func svg() -> String {
        let b = bounds
        let scale = 700 / max(b.width, b.height)
        let width = b.width * scale, height = b.height * scale
        let legendHeight = Double(clusterNames.count) * 18 + 110
        var out = String(format: """
            <svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">
            <rect width="100%%" height="100%%" fill="white"/>
            <text x="10" y="20" font-size="15" font-weight="bold">%@</text>
            <g transform="translate(0,30) scale(%.4f) translate(%.4f,%.4f)">

            """, width + 260, max(height + 40, legendHeight + 40), xmlEscaped(title), scale, -b.minX, -b.minY)
        out += landscape()
        for song in songs {
            out += String(format: "<circle class=\"song\" cx=\"%.3f\" cy=\"%.3f\" r=\"0.13\" fill=\"%@\" stroke=\"white\" stroke-width=\"0.03\"><title>%@</title></circle>\n",
                          song.x, song.y, Self.colour(song.cluster),
                          xmlEscaped((song.artist ?? "").isEmpty ? song.displayTitle : "\(song.artist!) – \(song.displayTitle)"))
        }
        if songs.count <= Self.svgLabelLimit {
            let size = 10 / scale
            for song in songs {
                let label = song.displayTitle.count > 28 ? String(song.displayTitle.prefix(27)) + "…" : song.displayTitle
                out += String(format: "<text class=\"label\" x=\"%.3f\" y=\"%.3f\" font-size=\"%.4f\" fill=\"#111\" stroke=\"white\" "
                    + "stroke-width=\"%.4f\" stroke-opacity=\"0.8\" paint-order=\"stroke\">%@</text>\n",
                              song.x + 0.16, song.y + size * 0.35, size, size / 4, xmlEscaped(label))
            }
        }
        out += regionNames(fontSize: 15 / scale)
        out += "</g>\n"
        for (index, name) in clusterNames.enumerated() {
            let y = 50 + Double(index) * 18
            out += String(format: "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"6\" fill=\"%@\"/><text x=\"%.0f\" y=\"%.0f\">%@</text>\n",
                          width + 20, y, Self.colour(index), width + 32, y + 4, xmlEscaped(name))
        }
        out += shadingLegend(x: width + 14, y: 50 + Double(clusterNames.count) * 18 + 14)
        out += "</svg>\n"
        return out
    }

    /// The legend of the landscape's shading, as SVG at (`x`, `y`): a ramp from alike (dark) to far apart (light).
    func shadingLegend(x: Double, y: Double) -> String {
        var out = String(format: "<g id=\"shading-legend\"><text x=\"%.0f\" y=\"%.0f\" font-weight=\"bold\">Background</text>\n", x, y)
        for step in 0..<10 {
            let grey = Self.grey(height: Double(step) / 9)
            out += String(format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"16\" height=\"14\" fill=\"rgb(%d,%d,%d)\"/>\n",
                          x + Double(step) * 16, y + 8, grey, grey, min(255, grey + 8))
        }
        out += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">darker: songs alike</text>\n"
            + "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">lighter: far apart (a ridge)</text></g>\n",
                       x, y + 36, x, y + 50)
        return out
    }

    /// JSON safe inside a `<script>` element: `<`, `>`, `&` and the JavaScript
    /// line separators are written as escapes, so no title can close the element.
    ///
    /// - Complexity: one pass over the encoded bytes (a page of 100,000 songs holds tens of megabytes).
    static func scriptSafeJSON<T: Encodable>(_ value: T) throws -> String {
        let encoded = try JSONOutput.encoder(pretty: false).encode(value)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count + encoded.count / 64)
        func escape(_ code: String) { bytes += Array("\\u\(code)".utf8) }
        encoded.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var index = 0
            while index < raw.count {
                let byte = raw[index]
                switch byte {
                case UInt8(ascii: "<"): escape("003c")
                case UInt8(ascii: ">"): escape("003e")
                case UInt8(ascii: "&"): escape("0026")
                // U+2028 and U+2029 in UTF-8: E2 80 A8 and E2 80 A9.
                case 0xE2 where index + 2 < raw.count && raw[index + 1] == 0x80 && (raw[index + 2] == 0xA8 || raw[index + 2] == 0xA9):
                    escape(raw[index + 2] == 0xA8 ? "2028" : "2029")
                    index += 2
                default: bytes.append(byte)
                }
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The landscape and the playlists' name anchors as the page's script reads them: every number
    /// rounded to what a screen shows.
    private struct PageLand: Encodable {
        var hexagonal: Bool
        /// Plane extent: minimum x, minimum y, width, height (``bounds``).
        var bounds: [Double]
        /// Flat triples: centre x, centre y, grey (``grey(height:)``) of every cell.
        var cells: [Double]
        /// Flat triples: playlist index, x, y (``regionAnchors()``).
        var regions: [Double]
    }

    /// A self-contained interactive page: no network, no CDN.
    ///
    /// The map is drawn on three stacked canvases (landscape, dots, and an overlay for what changes:
    /// highlights, the path, the lasso, labels and the playlists' names), so the page holds a fixed
    /// number of DOM nodes whatever the number of songs. The page's behaviour is in ``pageScript``
    /// (the map) and ``selfTestScript`` (what headless browsers run with `#selftest`).
    ///
    /// - Complexity: the page's size is linear in the songs and their neighbours.
    public func html() throws -> String {
        let b = bounds
        let legend = clusterNames.enumerated().map { index, name in
            "<li data-cluster=\"\(index)\"><span class=\"swatch\" style=\"background:\(Self.colour(index))\"></span>\(xmlEscaped(name))</li>"
        }.joined(separator: "\n")
        let songsJSON = try Self.scriptSafeJSON(pageSongs())
        let land = PageLand(
            hexagonal: hexagonal, bounds: [b.minX, b.minY, b.width, b.height].map { Self.rounded($0, digits: 3) },
            cells: cells.flatMap { [Self.rounded($0.x, digits: 3), Self.rounded($0.y, digits: 3), Double(Self.grey(height: $0.height))] },
            regions: regionAnchors().flatMap { [Double($0.cluster), Self.rounded($0.x, digits: 4), Self.rounded($0.y, digits: 4)] })
        let landJSON = try Self.scriptSafeJSON(land)
        let coloursJSON = try Self.scriptSafeJSON(Self.palette)
        let clusterJSON = try Self.scriptSafeJSON(clusterNames)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(xmlEscaped(title))</title>
            <script>
            window.songMapErrors = [];
            window.addEventListener('error', function (e) { window.songMapErrors.push(String(e.message || e)); });
            window.addEventListener('unhandledrejection', function (e) { window.songMapErrors.push(String(e.reason)); });
            </script>
            <style>
            html, body { margin: 0; height: 100%; font-family: sans-serif; }
            body { display: flex; }
            #side { flex: none; width: 300px; padding: 12px; box-sizing: border-box; overflow-y: auto; border-right: 1px solid #ddd; }
            #stage { flex: 1; position: relative; overflow: hidden; touch-action: none; }
            #stage canvas { position: absolute; left: 0; top: 0; width: 100%; height: 100%; display: block; }
            #map { cursor: grab; }
            #map:focus { outline: 2px solid #4e79a7; outline-offset: -2px; }
            #map.over { cursor: pointer; }
            #map.dragging { cursor: grabbing; }
            #dots.dim { opacity: 0.15; }
            #tooltip { position: absolute; pointer-events: none; background: rgba(255,255,255,0.95); border: 1px solid #999;
                       padding: 4px 8px; font-size: 12px; display: none; max-width: 420px; white-space: pre-line; }
            #legend { list-style: none; padding: 0; font-size: 13px; }
            #legend li { margin: 3px 0; }
            .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px; }
            #search { width: 100%; box-sizing: border-box; padding: 4px; }
            audio { width: 100%; margin-top: 8px; }
            #now { font-size: 12px; color: #444; min-height: 2em; }
            #now.problem { color: #b00020; }
            #neighbours, #path-songs { font-size: 12px; padding-left: 1.4em; margin: 4px 0; }
            #neighbours li { margin: 2px 0; }
            #neighbours button { font-size: 11px; padding: 0 4px; }
            .similarity { color: #666; }
            #selection { font-size: 12px; }
            h4 { margin: 10px 0 2px; font-size: 13px; }
            </style></head>
            <body>
            <div id="side">
            <h3 style="margin-top:0">\(xmlEscaped(title))</h3>
            <input id="search" type="search" placeholder="Search title, artist or path" aria-label="Search title, artist or path">
            <p style="font-size:12px;color:#666"><span id="count"></span> <span id="search-note" aria-live="polite"></span></p>
            <audio id="player" controls preload="none"></audio>
            <div id="now" aria-live="polite"></div>
            <h4>Nearest songs</h4>
            <div id="selected-song" style="font-size:12px">Click a dot to see the songs nearest to it.</div>
            <ol id="neighbours"></ol>
            <h4>Path</h4>
            <div id="path-note" style="font-size:12px">Click one song, then another: the line shows a path of near songs between them.</div>
            <ol id="path-songs"></ol>
            <h4>Selection</h4>
            <div id="selection">Shift-click dots, or shift-drag a lasso, to pick songs. <span id="picked-count">0 picked</span>
            <button id="save" disabled>Save as M3U8</button> <button id="clear-picks" disabled>Clear</button></div>
            <p style="font-size:12px;color:#666">Darker ground: songs alike; lighter ridges separate songs that are far apart.
            <span id="shading" style="display:inline-block;width:120px;height:10px;vertical-align:middle;background:linear-gradient(to right, rgb(\(Self.grey(height: 0)),\(Self.grey(height: 0)),\(Self.grey(height: 0) + 8)), rgb(\(Self.grey(height: 1)),\(Self.grey(height: 1)),\(min(255, Self.grey(height: 1) + 8))))"></span> alike → far apart.
            Scroll or pinch to zoom, drag to pan; titles appear when you zoom in.
            Keys, on the map: arrows pan, + and − zoom, 0 shows it all, Enter plays the selected song; Enter in the search box opens the first match.</p>
            <ul id="legend">
            \(legend)
            </ul>
            </div>
            <div id="stage">
            <canvas id="ground"></canvas>
            <canvas id="dots"></canvas>
            <canvas id="map" tabindex="0" role="img" aria-label="Song map: one dot per song; arrows pan, + and − zoom"></canvas>
            <div id="tooltip"></div>
            </div>
            <script id="song-data" type="application/json">\(songsJSON)</script>
            <script id="land-data" type="application/json">\(landJSON)</script>
            <script>
            \(Self.pageScript(coloursJSON: coloursJSON, clusterNamesJSON: clusterJSON))
            </script>
            <script>
            \(Self.selfTestScript)
            </script>
            </body></html>

            """
    }
}
