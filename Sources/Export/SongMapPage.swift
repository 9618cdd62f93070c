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

    public init(title: String, hexagonal: Bool, cells: [Cell], songs: [SongMapDocument.Song], sources: [String],
                clusterNames: [String]) {
        precondition(sources.count == songs.count, "one source per song")
        self.title = title
        self.hexagonal = hexagonal
        self.cells = cells
        self.songs = songs
        self.sources = sources
        self.clusterNames = clusterNames
    }

    /// One song as the page's script reads it (what is shown, not what is stored).
    private struct PageSong: Encodable {
        var x: Double
        var y: Double
        var title: String
        var artist: String
        var path: String
        var source: String
        var cluster: Int
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

    /// The U-matrix cells as SVG shapes: darker where neighbouring units are far apart.
    func landscape() -> String {
        var out = ""
        for cell in cells {
            let grey = Int((235 - 200 * (cell.height.isFinite ? min(max(cell.height, 0), 1) : 0)).rounded())   // never traps on NaN
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

    /// A static SVG picture: landscape, dots and legend.
    public func svg() -> String {
        let b = bounds
        let scale = 700 / max(b.width, b.height)
        let width = b.width * scale, height = b.height * scale
        let legendHeight = Double(clusterNames.count) * 18 + 20
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
        out += "</g>\n"
        for (index, name) in clusterNames.enumerated() {
            let y = 50 + Double(index) * 18
            out += String(format: "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"6\" fill=\"%@\"/><text x=\"%.0f\" y=\"%.0f\">%@</text>\n",
                          width + 20, y, Self.colour(index), width + 32, y + 4, xmlEscaped(name))
        }
        out += "</svg>\n"
        return out
    }

    /// JSON safe inside a `<script>` element: `<`, `>`, `&` and the JavaScript
    /// line separators are written as escapes, so no title can close the element.
    static func scriptSafeJSON<T: Encodable>(_ value: T) throws -> String {
        var text = String(decoding: try JSONOutput.encoder(pretty: false).encode(value), as: UTF8.self)
        for (character, escape) in [("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                                    ("\u{2028}", "\\u2028"), ("\u{2029}", "\\u2029")] {
            text = text.replacingOccurrences(of: character, with: escape)
        }
        return text
    }

    /// A self-contained interactive page: no network, no CDN.
    public func html() throws -> String {
        let b = bounds
        let legend = clusterNames.enumerated().map { index, name in
            "<li data-cluster=\"\(index)\"><span class=\"swatch\" style=\"background:\(Self.colour(index))\"></span>\(xmlEscaped(name))</li>"
        }.joined(separator: "\n")
        let songsJSON = try Self.scriptSafeJSON(zip(songs, sources).map { song, source in
            PageSong(x: song.x, y: song.y, title: song.displayTitle, artist: song.artist ?? "", path: DocumentPath(song.path).text,
                     source: source, cluster: song.cluster)
        })
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
            #side { flex: none; width: 280px; padding: 12px; box-sizing: border-box; overflow-y: auto; border-right: 1px solid #ddd; }
            #stage { flex: 1; position: relative; overflow: hidden; }
            #map { width: 100%; height: 100%; cursor: grab; display: block; }
            #map.dragging { cursor: grabbing; }
            .song { stroke: white; stroke-width: 0.03; cursor: pointer; }
            .song.dim { opacity: 0.12; }
            .song.match { stroke: black; stroke-width: 0.06; }
            .song.playing { stroke: #d62728; stroke-width: 0.08; }
            #tooltip { position: absolute; pointer-events: none; background: rgba(255,255,255,0.95); border: 1px solid #999;
                       padding: 4px 8px; font-size: 12px; display: none; max-width: 420px; white-space: pre-line; }
            #legend { list-style: none; padding: 0; font-size: 13px; }
            #legend li { margin: 3px 0; cursor: pointer; }
            .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px; }
            #search { width: 100%; box-sizing: border-box; padding: 4px; }
            audio { width: 100%; margin-top: 8px; }
            #now { font-size: 12px; color: #444; min-height: 2em; }
            </style></head>
            <body>
            <div id="side">
            <h3 style="margin-top:0">\(xmlEscaped(title))</h3>
            <input id="search" type="search" placeholder="Search title, artist or path">
            <p id="count" style="font-size:12px;color:#666"></p>
            <audio id="player" controls preload="none"></audio>
            <div id="now"></div>
            <p style="font-size:12px;color:#666">Dark ridges separate songs that are far apart. Scroll to zoom, drag to pan, click a dot to play.</p>
            <ul id="legend">
            \(legend)
            </ul>
            </div>
            <div id="stage">
            <svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="\(String(format: "%.3f %.3f %.3f %.3f", b.minX, b.minY, b.width, b.height))" preserveAspectRatio="xMidYMid meet">
            <g id="landscape">
            \(landscape())</g>
            <g id="songs"></g>
            </svg>
            <div id="tooltip"></div>
            </div>
            <script id="song-data" type="application/json">\(songsJSON)</script>
            <script>
            (function () {
              var songs = JSON.parse(document.getElementById('song-data').textContent);
              var colours = \(coloursJSON);
              var clusterNames = \(clusterJSON);
              var svg = document.getElementById('map');
              var layer = document.getElementById('songs');
              var tooltip = document.getElementById('tooltip');
              var player = document.getElementById('player');
              var ns = 'http://www.w3.org/2000/svg';
              var dots = [];
              var fragment = document.createDocumentFragment();
              songs.forEach(function (song, index) {
                var dot = document.createElementNS(ns, 'circle');
                dot.setAttribute('class', 'song');
                dot.setAttribute('cx', song.x);
                dot.setAttribute('cy', song.y);
                dot.setAttribute('r', 0.13);
                dot.setAttribute('fill', colours[song.cluster % colours.length]);
                dot.dataset.index = index;
                dots.push(dot);
                fragment.appendChild(dot);
              });
              layer.appendChild(fragment);
              document.getElementById('count').textContent = songs.length + (songs.length === 1 ? ' song' : ' songs');

              function describe(song) {
                return (song.artist ? song.artist + ' – ' : '') + song.title + '\\n' +
                  (clusterNames[song.cluster] || '') + '\\n' + song.path;
              }
              function songAt(target) {
                return target && target.classList && target.classList.contains('song') ? songs[target.dataset.index] : null;
              }
              layer.addEventListener('mouseover', function (event) {
                var song = songAt(event.target);
                if (!song) { return; }
                tooltip.textContent = describe(song);
                tooltip.style.display = 'block';
                var stage = svg.getBoundingClientRect();
                tooltip.style.left = (event.clientX - stage.left + 12) + 'px';
                tooltip.style.top = (event.clientY - stage.top + 12) + 'px';
              });
              layer.addEventListener('mouseout', function () { tooltip.style.display = 'none'; });
              var playing = null;
              layer.addEventListener('click', function (event) {
                var song = songAt(event.target);
                if (!song) { return; }
                if (playing) { playing.classList.remove('playing'); }
                playing = event.target;
                playing.classList.add('playing');
                player.src = song.source;
                document.getElementById('now').textContent = 'Playing: ' + (song.artist ? song.artist + ' – ' : '') + song.title;
                var attempt = player.play();
                if (attempt && attempt.catch) { attempt.catch(function () {}); }
              });

              document.getElementById('search').addEventListener('input', function (event) {
                var query = event.target.value.trim().toLowerCase();
                for (var i = 0; i < songs.length; i++) {
                  var text = (songs[i].title + ' ' + songs[i].artist + ' ' + songs[i].path).toLowerCase();
                  var hit = query !== '' && text.indexOf(query) >= 0;
                  dots[i].classList.toggle('match', hit);
                  dots[i].classList.toggle('dim', query !== '' && !hit);
                }
              });

              // Zoom around the cursor and pan by dragging, by moving the viewBox.
              var box = svg.viewBox.baseVal;
              function toMap(event) {
                var point = svg.createSVGPoint();
                point.x = event.clientX; point.y = event.clientY;
                return point.matrixTransform(svg.getScreenCTM().inverse());
              }
              svg.addEventListener('wheel', function (event) {
                event.preventDefault();
                var anchor = toMap(event);
                var factor = event.deltaY < 0 ? 0.85 : 1 / 0.85;
                box.x = anchor.x - (anchor.x - box.x) * factor;
                box.y = anchor.y - (anchor.y - box.y) * factor;
                box.width *= factor; box.height *= factor;
              }, { passive: false });
              var drag = null;
              svg.addEventListener('mousedown', function (event) {
                drag = { start: toMap(event) };
                svg.classList.add('dragging');
              });
              window.addEventListener('mousemove', function (event) {
                if (!drag) { return; }
                var now = toMap(event);
                box.x -= now.x - drag.start.x;
                box.y -= now.y - drag.start.y;
              });
              window.addEventListener('mouseup', function () { drag = null; svg.classList.remove('dragging'); });

            })();
            </script>
            <script>
            // Self-test for headless browsers: open the page with #selftest. A separate script,
            // so it reports even when the one above failed.
            if (location.hash === '#selftest') {
              var result = { errors: window.songMapErrors, songs: document.querySelectorAll('.song').length, tooltip: null };
              var first = document.querySelector('.song');
              var tip = document.getElementById('tooltip');
              if (first) {
                first.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, clientX: 10, clientY: 10 }));
                result.tooltip = tip.textContent;
              }
              var out = document.createElement('pre');
              out.id = 'selftest-result';
              out.hidden = true;
              // ASCII only: a DOM dump escapes &, < and > and non-breaking spaces.
              out.textContent = JSON.stringify(result).replace(/[^\\x20-\\x7e]|[<>&]/g, function (c) {
                return '\\\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
              });
              document.body.appendChild(out);
            }
            </script>
            </body></html>

            """
    }
}
