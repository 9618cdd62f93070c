extension SongMapDrawing {
    /// The map page's script: dots, hover, play, neighbours, paths, selections, search, zoom, pan and keys.
    ///
    /// **Drawing** is on canvas, not one DOM node per song: the landscape on one canvas, the dots on a
    /// second (batched into one path per playlist colour; dots of a radius under 3 device pixels are
    /// written straight into the canvas's pixels, a disc each), and everything that changes with a click or a
    /// search (highlights, the path, the lasso, labels, the playlists' names) on a third, so a click
    /// redraws only the few songs it concerns. Canvases are sized in device pixels (`devicePixelRatio`)
    /// and drawn again when the page is resized.
    ///
    /// **Hit-testing** goes through a grid index built once: the songs are bucketed into square cells of
    /// about four songs each (a counting sort into flat arrays), so the song under the pointer, the
    /// songs in view and the songs inside a lasso are found by visiting the few cells that overlap, not
    /// every song. Among songs at the same distance, the one drawn last (the higher index) wins.
    ///
    /// **Paths** are found on the page, over the neighbours graph: each song is joined to the
    /// songs in its neighbour list (both ways), weighted by their distance, and Dijkstra's
    /// algorithm finds the shortest chain from the first song chosen to the second. Each step
    /// is one the neighbour panel shows, so a path is a walk of "walk to" steps. It is not
    /// `songatlas path` (a straight line in feature space, filled with the songs nearest to it):
    /// that needs every song's feature vector on the page, and computing it at write time for
    /// every pair of n songs costs n² paths. When no chain of neighbours joins two songs,
    /// the page says so and suggests a larger `--neighbours`.
    ///
    /// **Labels** appear when the view is zoomed in far enough that a unit spans at least
    /// ``labelPixelsPerUnit`` screen pixels and at most ``labelLimit`` songs are in view.
    ///
    /// - Parameters:
    ///   - coloursJSON: the palette, as a JSON array.
    ///   - clusterNamesJSON: the legend's names, as a JSON array.
    static func pageScript(coloursJSON: String, clusterNamesJSON: String) -> String {
        #"""
        (function () {
          var started = performance.now();
          var data = JSON.parse(document.getElementById('song-data').textContent);
          var land = JSON.parse(document.getElementById('land-data').textContent);
          var parsed = performance.now();
          // The song data comes one array per field (SongMapDrawing.PageSongs); each song is also one small
          // object, and its neighbours are a run of the flat neighbour arrays, from nearStart[i] to nearStart[i + 1].
          var count = data.x.length;
          var songs = new Array(count), nearStart = new Int32Array(count + 1);
          for (var s = 0; s < count; s++) {
            songs[s] = { x: data.x[s], y: data.y[s], title: data.title[s], artist: data.artist[s], path: data.path[s],
                         source: data.source[s], cluster: data.cluster[s] };
            nearStart[s + 1] = nearStart[s] + data.nearCount[s];
          }
          var canSave = data.entry.length === count && count > 0;
          function nearOf(index) { return data.near.slice(nearStart[index], nearStart[index + 1]); }
          // The song's M3U8 lines, as `playlists` writes them.
          function entryOf(index) {
            if (data.entry[index]) { return data.entry[index]; }
            return '#EXTINF:' + data.extinf[index] + ',' + name(songs[index]) + '\n' + songs[index].path + '\n';
          }
          var colours = \#(coloursJSON);
          var clusterNames = \#(clusterNamesJSON);
          var stage = document.getElementById('stage');
          var groundCanvas = document.getElementById('ground');
          var dotCanvas = document.getElementById('dots');
          var canvas = document.getElementById('map');
          var tooltip = document.getElementById('tooltip');
          var player = document.getElementById('player');
          var now = document.getElementById('now');
          var timings = { script: 0, firstRender: null, parse: parsed - started };
          var api = { songs: songs, nearOf: nearOf, timings: timings, savedTexts: [], mediaErrors: [], drawn: 0, labels: 0, labelTexts: [],
                      regions: [], pathPoints: 0, hovered: -1 };
          window.songMap = api;
          document.getElementById('count').textContent = count + (count === 1 ? ' song' : ' songs');

          // Positions in flat arrays, and each colour's songs, for drawing and hit-testing.
          var xs = new Float64Array(count), ys = new Float64Array(count);
          var colourSongs = colours.map(function () { return []; });
          for (s = 0; s < count; s++) {
            xs[s] = songs[s].x; ys[s] = songs[s].y;
            colourSongs[((songs[s].cluster % colours.length) + colours.length) % colours.length].push(s);
          }

          // The grid index: cells of about four songs; gridStart[c] .. gridStart[c + 1] are cell c's songs in gridItems.
          var grid = (function () {
            var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
            for (var i = 0; i < count; i++) {
              if (xs[i] < minX) { minX = xs[i]; } if (xs[i] > maxX) { maxX = xs[i]; }
              if (ys[i] < minY) { minY = ys[i]; } if (ys[i] > maxY) { maxY = ys[i]; }
            }
            if (!count) { minX = minY = 0; maxX = maxY = 1; }
            var spanX = Math.max(maxX - minX, 1e-6), spanY = Math.max(maxY - minY, 1e-6);
            var size = Math.max(Math.sqrt(spanX * spanY / Math.max(count / 4, 1)), 1e-6);
            var columns = Math.max(1, Math.min(4096, Math.floor(spanX / size) + 1));
            var rows = Math.max(1, Math.min(4096, Math.floor(spanY / size) + 1));
            var start = new Int32Array(columns * rows + 1), items = new Int32Array(count), cellOf = new Int32Array(count);
            var index = { minX: minX, minY: minY, size: size, columns: columns, rows: rows, start: start, items: items };
            for (i = 0; i < count; i++) {
              cellOf[i] = row(index, ys[i]) * columns + column(index, xs[i]);
              start[cellOf[i] + 1]++;
            }
            for (var c = 0; c < columns * rows; c++) { start[c + 1] += start[c]; }
            var fill = start.slice(0, columns * rows);
            for (i = 0; i < count; i++) { items[fill[cellOf[i]]++] = i; }
            return index;
          })();
          function column(index, x) { return Math.min(index.columns - 1, Math.max(0, Math.floor((x - index.minX) / index.size))); }
          function row(index, y) { return Math.min(index.rows - 1, Math.max(0, Math.floor((y - index.minY) / index.size))); }
          // Calls visit(song) for the songs of the cells that overlap [x0, x1] × [y0, y1] (a superset of the songs
          // inside); stops when visit returns true.
          function eachInBox(x0, y0, x1, y1, visit) {
            if (!count || x1 < grid.minX - grid.size || y1 < grid.minY - grid.size) { return; }
            var c0 = column(grid, x0), c1 = column(grid, x1), r0 = row(grid, y0), r1 = row(grid, y1);
            for (var r = r0; r <= r1; r++) {
              for (var c = c0; c <= c1; c++) {
                var cell = r * grid.columns + c;
                for (var k = grid.start[cell]; k < grid.start[cell + 1]; k++) {
                  if (visit(grid.items[k])) { return; }
                }
              }
            }
          }
          // The song nearest (x, y) within `radius` map units, or -1; on a tie, the one drawn last.
          function songNear(x, y, radius) {
            var best = -1, bestDistance = radius * radius;
            eachInBox(x - radius, y - radius, x + radius, y + radius, function (i) {
              var dx = xs[i] - x, dy = ys[i] - y, distance = dx * dx + dy * dy;
              if (distance < bestDistance || (distance === bestDistance && i > best)) { best = i; bestDistance = distance; }
            });
            return best;
          }
          api.songNear = songNear;

          // The view: `box` is the part of the plane shown (in map units), fitted into the stage, centred.
          var box = { x: land.bounds[0], y: land.bounds[1], width: land.bounds[2], height: land.bounds[3] };
          var view = { width: 1, height: 1, ratio: 1, scale: 1, offsetX: 0, offsetY: 0 };
          function fit() {
            view.scale = Math.min(view.width / box.width, view.height / box.height);
            view.offsetX = (view.width - box.width * view.scale) / 2 - box.x * view.scale;
            view.offsetY = (view.height - box.height * view.scale) / 2 - box.y * view.scale;
          }
          function measure() {
            view.width = Math.max(1, stage.clientWidth);
            view.height = Math.max(1, stage.clientHeight);
            view.ratio = window.devicePixelRatio || 1;
            [groundCanvas, dotCanvas, canvas].forEach(function (element) {
              var width = Math.round(view.width * view.ratio), height = Math.round(view.height * view.ratio);
              if (element.width !== width) { element.width = width; }
              if (element.height !== height) { element.height = height; }
            });
            fit();
          }
          function toMap(clientX, clientY) {
            var rect = canvas.getBoundingClientRect();
            return { x: (clientX - rect.left - view.offsetX) / view.scale, y: (clientY - rect.top - view.offsetY) / view.scale };
          }
          api.toMap = toMap;
          api.toClient = function (x, y) {
            var rect = canvas.getBoundingClientRect();
            return { x: rect.left + x * view.scale + view.offsetX, y: rect.top + y * view.scale + view.offsetY };
          };
          api.pixelsPerUnit = function () { return view.scale; };
          // Dot radius on screen, in CSS pixels.
          function dotRadius() { return Math.max(0.13 * view.scale, 1.5); }
          function ringWidth(units) { return Math.max(units * view.scale, 1.5); }

          function drawGround() {
            var context = groundCanvas.getContext('2d');
            context.setTransform(1, 0, 0, 1, 0, 0);
            context.clearRect(0, 0, groundCanvas.width, groundCanvas.height);
            var unit = view.ratio * view.scale;
            context.setTransform(unit, 0, 0, unit, view.ratio * view.offsetX, view.ratio * view.offsetY);
            var byGrey = {};
            for (var i = 0; i + 2 < land.cells.length; i += 3) { (byGrey[land.cells[i + 2]] = byGrey[land.cells[i + 2]] || []).push(i); }
            Object.keys(byGrey).forEach(function (grey) {
              context.fillStyle = 'rgb(' + grey + ',' + grey + ',' + Math.min(255, Number(grey) + 8) + ')';
              context.beginPath();
              byGrey[grey].forEach(function (i) {
                var x = land.cells[i], y = land.cells[i + 1];
                if (land.hexagonal) {
                  for (var corner = 0; corner < 6; corner++) {
                    var angle = Math.PI / 3 * corner + Math.PI / 6;
                    var px = x + 0.58 * Math.cos(angle), py = y + 0.58 * Math.sin(angle);
                    if (corner === 0) { context.moveTo(px, py); } else { context.lineTo(px, py); }
                  }
                  context.closePath();
                } else {
                  context.rect(x - 0.5, y - 0.5, 1.02, 1.02);
                }
              });
              context.fill();
            });
          }
          // The plane's part in view, widened by `margin` screen pixels.
          function viewBox(margin) {
            return { x0: (-margin - view.offsetX) / view.scale, y0: (-margin - view.offsetY) / view.scale,
                     x1: (view.width + margin - view.offsetX) / view.scale, y1: (view.height + margin - view.offsetY) / view.scale };
          }
          function drawDots() {
            var context = dotCanvas.getContext('2d');
            context.setTransform(1, 0, 0, 1, 0, 0);
            context.clearRect(0, 0, dotCanvas.width, dotCanvas.height);
            context.setTransform(view.ratio, 0, 0, view.ratio, 0, 0);
            var radius = dotRadius(), seen = viewBox(radius), drawn = 0, outline = radius >= 3;
            if (radius * view.ratio < 3 && littleEndian) {
              api.drawn = drawDotsAsPixels(context, radius, seen);
              return;
            }
            colourSongs.forEach(function (list, colour) {
              if (!list.length) { return; }
              context.beginPath();
              for (var k = 0; k < list.length; k++) {
                var i = list[k];
                if (xs[i] < seen.x0 || xs[i] > seen.x1 || ys[i] < seen.y0 || ys[i] > seen.y1) { continue; }
                var px = xs[i] * view.scale + view.offsetX, py = ys[i] * view.scale + view.offsetY;
                context.moveTo(px + radius, py);
                context.arc(px, py, radius, 0, 2 * Math.PI);
                drawn++;
              }
              context.fillStyle = colours[colour];
              context.fill();
              if (outline) {
                context.strokeStyle = 'white';
                context.lineWidth = 0.03 * view.scale;
                context.stroke();
              }
            });
            api.drawn = drawn;
          }

          // Small dots, a few device pixels wide, written straight into the canvas's pixels: a disc of pixels per
          // song, colour after colour as the paths would be filled, without asking the rasteriser for 100,000 paths.
          var littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
          var packedColours = colours.map(function (colour) {
            var value = parseInt(colour.slice(1), 16);
            return ((255 << 24) | ((value & 255) << 16) | (((value >> 8) & 255) << 8) | ((value >> 16) & 255)) >>> 0;
          });
          function drawDotsAsPixels(context, radius, seen) {
            var width = dotCanvas.width, height = dotCanvas.height;
            var image = context.createImageData(width, height), pixels = new Uint32Array(image.data.buffer);
            var deviceRadius = radius * view.ratio, reach = Math.ceil(deviceRadius), disc = [], drawn = 0;
            for (var dy = -reach; dy <= reach; dy++) {
              for (var dx = -reach; dx <= reach; dx++) {
                if (dx * dx + dy * dy <= deviceRadius * deviceRadius) { disc.push(dy * width + dx); }
              }
            }
            colourSongs.forEach(function (list, colour) {
              var value = packedColours[colour];
              for (var k = 0; k < list.length; k++) {
                var i = list[k];
                if (xs[i] < seen.x0 || xs[i] > seen.x1 || ys[i] < seen.y0 || ys[i] > seen.y1) { continue; }
                drawn++;
                var px = Math.floor((xs[i] * view.scale + view.offsetX) * view.ratio);
                var py = Math.floor((ys[i] * view.scale + view.offsetY) * view.ratio);
                if (px >= reach && px < width - reach && py >= reach && py < height - reach) {
                  var centre = py * width + px;
                  for (var d = 0; d < disc.length; d++) { pixels[centre + disc[d]] = value; }
                } else {
                  for (var ddy = -reach; ddy <= reach; ddy++) {
                    for (var ddx = -reach; ddx <= reach; ddx++) {
                      var x = px + ddx, y = py + ddy;
                      if (x >= 0 && x < width && y >= 0 && y < height && ddx * ddx + ddy * ddy <= deviceRadius * deviceRadius) {
                        pixels[y * width + x] = value;
                      }
                    }
                  }
                }
              }
            });
            context.putImageData(image, 0, 0);
            return drawn;
          }

          // What the overlay shows: set by clicks, searches and the lasso, drawn by drawOverlay().
          var selected = -1, playing = -1, nearMarked = [], matches = [], picked = [], chain = null, lasso = null, labels = [];
          var isPicked = new Uint8Array(count);
          // Rings round the songs of `list`; `fill` draws each dot again first (on top of the dimmed dots).
          function ring(context, list, colour, widthUnits, fill) {
            if (!list.length) { return; }
            var radius = dotRadius();
            context.strokeStyle = colour;
            context.lineWidth = ringWidth(widthUnits);
            if (fill) {
              list.forEach(function (i) {
                context.fillStyle = colours[((songs[i].cluster % colours.length) + colours.length) % colours.length];
                context.beginPath();
                context.arc(xs[i] * view.scale + view.offsetX, ys[i] * view.scale + view.offsetY, radius, 0, 2 * Math.PI);
                context.fill();
                context.stroke();
              });
              return;
            }
            context.beginPath();
            list.forEach(function (i) {
              var px = xs[i] * view.scale + view.offsetX, py = ys[i] * view.scale + view.offsetY;
              context.moveTo(px + radius, py);
              context.arc(px, py, radius, 0, 2 * Math.PI);
            });
            context.stroke();
          }
          function drawOverlay() {
            var context = canvas.getContext('2d');
            context.setTransform(1, 0, 0, 1, 0, 0);
            context.clearRect(0, 0, canvas.width, canvas.height);
            context.setTransform(view.ratio, 0, 0, view.ratio, 0, 0);
            context.lineJoin = 'round';
            if (chain) {
              context.beginPath();
              chain.forEach(function (i, step) {
                var px = xs[i] * view.scale + view.offsetX, py = ys[i] * view.scale + view.offsetY;
                if (step === 0) { context.moveTo(px, py); } else { context.lineTo(px, py); }
              });
              context.strokeStyle = '#d62728';
              context.lineWidth = ringWidth(0.06);
              context.stroke();
            }
            ring(context, matches, 'black', 0.06, true);
            ring(context, nearMarked, '#222', 0.05, false);
            ring(context, picked, '#ff7f0e', 0.08, false);
            if (selected >= 0) { ring(context, [selected], '#000', 0.1, false); }
            if (playing >= 0) { ring(context, [playing], '#d62728', 0.08, false); }
            if (lasso && lasso.length > 1) {
              context.beginPath();
              lasso.forEach(function (p, step) {
                var px = p.x * view.scale + view.offsetX, py = p.y * view.scale + view.offsetY;
                if (step === 0) { context.moveTo(px, py); } else { context.lineTo(px, py); }
              });
              context.closePath();
              context.fillStyle = 'rgba(255,127,14,0.12)';
              context.fill();
              context.strokeStyle = '#ff7f0e';
              context.lineWidth = 1.5;
              context.stroke();
            }
            context.textBaseline = 'alphabetic';
            context.lineJoin = 'round';
            if (labels.length) {
              context.font = '11px sans-serif';
              context.textAlign = 'left';
              context.fillStyle = '#111';
              context.strokeStyle = 'rgba(255,255,255,0.85)';
              context.lineWidth = 2.75;
              labels.forEach(function (label) {
                var px = xs[label.song] * view.scale + view.offsetX + 0.16 * view.scale;
                var py = ys[label.song] * view.scale + view.offsetY + 11 * 0.35;
                context.strokeText(label.text, px, py);
                context.fillText(label.text, px, py);
              });
            }
            // Each playlist's name once, at one size on screen whatever the zoom.
            context.font = 'bold 14px sans-serif';
            context.textAlign = 'center';
            context.fillStyle = 'rgba(0,0,0,0.7)';
            context.strokeStyle = 'white';
            context.lineWidth = 3;
            for (var r = 0; r + 2 < land.regions.length; r += 3) {
              var px = land.regions[r + 1] * view.scale + view.offsetX, py = land.regions[r + 2] * view.scale + view.offsetY;
              context.strokeText(regionName(land.regions[r]), px, py);
              context.fillText(regionName(land.regions[r]), px, py);
            }
          }
          function regionName(cluster) { return clusterNames[cluster] !== undefined ? clusterNames[cluster] : String(cluster); }
          for (var r = 0; r + 2 < land.regions.length; r += 3) { api.regions.push(regionName(land.regions[r])); }

          // Labels: the songs in view, once a unit is wide enough on screen and few enough songs show.
          function updateLabels() {
            var inView = [];
            if (view.scale >= \#(labelPixelsPerUnit)) {
              var seen = viewBox(0);
              eachInBox(seen.x0, seen.y0, seen.x1, seen.y1, function (i) {
                if (xs[i] >= seen.x0 && xs[i] <= seen.x1 && ys[i] >= seen.y0 && ys[i] <= seen.y1) { inView.push(i); }
                return inView.length > \#(labelLimit);
              });
            }
            labels = inView.length > \#(labelLimit) ? [] : inView.sort(function (a, b) { return a - b; }).map(function (i) {
              var title = songs[i].title;
              return { song: i, text: title.length > 28 ? title.slice(0, 27) + '…' : title };
            });
            api.labels = labels.length;
            api.labelTexts = labels.map(function (label) { return label.text; });
          }
          api.updateLabels = function () { updateLabels(); drawOverlay(); };

          // A whole redraw, once per animation frame however many view changes asked for it.
          var frame = 0;
          function drawAll() {
            frame = 0;
            measure();
            drawGround();
            drawDots();
            updateLabels();
            drawOverlay();
          }
          function viewChanged() {
            fit();
            if (!frame) { frame = requestAnimationFrame(drawAll); }
          }
          api.redraw = drawAll;
          // Waits until the canvases are painted: reading a pixel makes the browser finish drawing them.
          api.flush = function () {
            [groundCanvas, dotCanvas, canvas].forEach(function (element) { element.getContext('2d').getImageData(0, 0, 1, 1); });
          };

          function name(song) { return (song.artist ? song.artist + ' – ' : '') + song.title; }
          function describe(song) {
            return name(song) + '\n' + (clusterNames[song.cluster] || '') + '\n' + song.path;
          }
          function clear(element) { while (element.firstChild) { element.removeChild(element.firstChild); } }
          // The song under a pointer at (clientX, clientY): the nearest within a few pixels of its dot.
          function songAt(clientX, clientY) {
            var point = toMap(clientX, clientY);
            return songNear(point.x, point.y, (dotRadius() + 3) / view.scale);
          }

          // Hover.
          function hover(clientX, clientY) {
            var index = songAt(clientX, clientY);
            api.hovered = index;
            canvas.classList.toggle('over', index >= 0);
            if (index < 0) { tooltip.style.display = 'none'; return; }
            tooltip.textContent = describe(songs[index]);
            tooltip.style.display = 'block';
            var rect = stage.getBoundingClientRect();
            tooltip.style.left = (clientX - rect.left + 12) + 'px';
            tooltip.style.top = (clientY - rect.top + 12) + 'px';
          }
          canvas.addEventListener('mousemove', function (event) {
            if (drag || lasso) { return; }
            hover(event.clientX, event.clientY);
          });
          canvas.addEventListener('mouseleave', function () { tooltip.style.display = 'none'; api.hovered = -1; });

          // Playing: every failure is said in the player line, with its reason.
          var mediaReasons = {
            1: 'playback was aborted',
            2: 'the file could not be read (moved, renamed, or not reachable from where the page is opened)',
            3: 'the file could not be decoded',
            4: 'this browser cannot play this format'
          };
          function problem(text) {
            now.textContent = text;
            now.classList.add('problem');
          }
          // What to do about a file the browser cannot play.
          function playHint(song) {
            return '; browsers play FLAC, MP3, Ogg (Vorbis, Opus), WAV and AAC: convert ' +
              (song.path.split('/').pop() || 'the file') + ' to one of them, or make the map with --previews, to hear it here';
          }
          player.addEventListener('error', function () {
            var code = player.error ? player.error.code : 0;
            var song = songs[playing];
            var text = 'Cannot play ' + (song ? name(song) : 'this song') + ': ' + (mediaReasons[code] || 'media error ' + code) +
              (player.error && player.error.message ? ' (' + player.error.message + ')' : '') + (song ? playHint(song) : '');
            api.mediaErrors.push({ song: playing, code: code, text: text });
            problem(text);
          });
          player.addEventListener('playing', function () {
            if (playing >= 0) { api.playing = playing; }
          });
          function play(index) {
            var song = songs[index];
            playing = index;
            drawOverlay();
            now.classList.remove('problem');
            if (song.note) {
              problem('Cannot play ' + name(song) + ': ' + song.note);
              api.mediaErrors.push({ song: index, code: 0, text: now.textContent });
              player.removeAttribute('src');
              return;
            }
            player.src = song.source;
            now.textContent = 'Playing: ' + name(song);
            var attempt = player.play();
            if (attempt && attempt.catch) {
              attempt.catch(function (error) {
                // A newer click replaced this song: the newer one reports its own outcome.
                if (playing !== index) { return; }
                var text = 'Cannot play ' + name(song) + ': ' + (error && error.message ? error.message : String(error));
                api.mediaErrors.push({ song: index, code: -1, text: text });
                if (!player.error) { problem(text + playHint(song)); }
              });
            }
          }
          api.play = play;

          // Neighbours of the selected song, and the path from the one selected before.
          var neighbourList = document.getElementById('neighbours');
          function button(text, action) {
            var element = document.createElement('button');
            element.type = 'button';
            element.textContent = text;
            element.addEventListener('click', action);
            return element;
          }
          function showNeighbours(index) {
            clear(neighbourList);
            var song = songs[index], near = nearOf(index);
            document.getElementById('selected-song').textContent = name(song) +
              (near.length ? '' : ': no neighbours listed (the map was written with --neighbours 0, or every other song is a copy)');
            near.forEach(function (other, rank) {
              var item = document.createElement('li');
              item.dataset.song = other;
              item.appendChild(button('▶', function () { play(other); }));
              item.appendChild(document.createTextNode(' '));
              item.appendChild(button('walk to', function () { select(other); }));
              var text = document.createElement('span');
              text.className = 'title';
              text.textContent = ' ' + name(songs[other]) + ' ';
              item.appendChild(text);
              var similarity = document.createElement('span');
              similarity.className = 'similarity';
              similarity.textContent = 'similarity ' + data.similarity[nearStart[index] + rank].toFixed(2);
              item.appendChild(similarity);
              neighbourList.appendChild(item);
            });
            nearMarked = near;
          }

          var graph = null;
          function neighbourGraph() {
            if (graph) { return graph; }
            graph = songs.map(function () { return []; });
            for (var index = 0; index < count; index++) {
              for (var k = nearStart[index]; k < nearStart[index + 1]; k++) {
                graph[index].push([data.near[k], data.distance[k]]);
                graph[data.near[k]].push([index, data.distance[k]]);
              }
            }
            return graph;
          }
          // Dijkstra over the neighbours graph, with a binary heap; null when no chain joins the two.
          function shortestChain(from, to) {
            var edges = neighbourGraph();
            var distance = new Float64Array(count).fill(Infinity);
            var previous = new Int32Array(count).fill(-1);
            var heap = [[0, from]];
            distance[from] = 0;
            function push(entry) {
              heap.push(entry);
              var child = heap.length - 1;
              while (child > 0) {
                var parent = (child - 1) >> 1;
                if (heap[parent][0] <= heap[child][0]) { break; }
                var swap = heap[parent]; heap[parent] = heap[child]; heap[child] = swap; child = parent;
              }
            }
            function pop() {
              var top = heap[0], last = heap.pop();
              if (heap.length) {
                heap[0] = last;
                var parent = 0;
                for (;;) {
                  var left = 2 * parent + 1, right = left + 1, least = parent;
                  if (left < heap.length && heap[left][0] < heap[least][0]) { least = left; }
                  if (right < heap.length && heap[right][0] < heap[least][0]) { least = right; }
                  if (least === parent) { break; }
                  var swap = heap[parent]; heap[parent] = heap[least]; heap[least] = swap; parent = least;
                }
              }
              return top;
            }
            while (heap.length) {
              var entry = pop(), node = entry[1];
              if (entry[0] > distance[node]) { continue; }
              if (node === to) { break; }
              edges[node].forEach(function (edge) {
                var through = distance[node] + edge[1];
                if (through < distance[edge[0]]) {
                  distance[edge[0]] = through;
                  previous[edge[0]] = node;
                  push([through, edge[0]]);
                }
              });
            }
            if (distance[to] === Infinity) { return null; }
            var found = [to];
            while (found[found.length - 1] !== from) { found.push(previous[found[found.length - 1]]); }
            return found.reverse();
          }
          function showPath(from, to) {
            var list = document.getElementById('path-songs');
            var note = document.getElementById('path-note');
            clear(list);
            chain = shortestChain(from, to);
            api.path = chain;
            api.pathPoints = chain ? chain.length : 0;
            if (!chain) {
              note.textContent = 'No chain of neighbours joins ' + name(songs[from]) + ' and ' + name(songs[to]) +
                ': run songatlas map again with a larger --neighbours.';
              return;
            }
            note.textContent = 'From ' + name(songs[from]) + ' to ' + name(songs[to]) + ', ' + chain.length + ' songs:';
            chain.forEach(function (index) {
              var item = document.createElement('li');
              item.dataset.song = index;
              item.textContent = name(songs[index]);
              list.appendChild(item);
            });
          }
          function select(index) {
            var before = selected;
            selected = index;
            api.selected = index;
            showNeighbours(index);
            if (before >= 0 && before !== index) { showPath(before, index); }
            drawOverlay();
          }
          api.select = select;

          // Picking songs for a playlist: shift-click, or a shift-drag lasso.
          var saveButton = document.getElementById('save');
          var clearButton = document.getElementById('clear-picks');
          function showPicks() {
            document.getElementById('picked-count').textContent = picked.length + ' picked';
            saveButton.disabled = picked.length === 0 || !canSave;
            clearButton.disabled = picked.length === 0;
            api.picked = picked.slice();
            drawOverlay();
          }
          function pick(index, on) {
            if (Boolean(isPicked[index]) === on) { return; }
            isPicked[index] = on ? 1 : 0;
            if (on) { picked.push(index); } else { picked.splice(picked.indexOf(index), 1); }
          }
          clearButton.addEventListener('click', function () {
            picked.forEach(function (index) { isPicked[index] = 0; });
            picked = [];
            showPicks();
          });
          saveButton.addEventListener('click', function () {
            var text = '#EXTM3U\n' + picked.map(entryOf).join('');
            var blob = new Blob([text], { type: 'audio/x-mpegurl' });
            api.savedTexts.push(text);
            var link = document.createElement('a');
            link.href = URL.createObjectURL(blob);
            link.download = 'selection.m3u8';
            document.body.appendChild(link);
            link.click();
            document.body.removeChild(link);
            setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
          });

          canvas.addEventListener('click', function (event) {
            var index = songAt(event.clientX, event.clientY);
            if (index < 0 || moved) { return; }
            if (event.shiftKey) {
              pick(index, !isPicked[index]);
              showPicks();
              return;
            }
            select(index);
            play(index);
          });

          // Search: the dots dim as one canvas and the matches are drawn again on the overlay, so a search
          // redraws the matching songs, not every dot.
          var searchNote = document.getElementById('search-note');
          // Every song's title, artist and path, lower-cased, in one text (songs apart by a NUL), with where
          // each song starts: a search is native indexOf calls over that text, not one call per song.
          var searchText = null, searchStart = null;
          function buildSearch() {
            var parts = new Array(count);
            searchStart = new Int32Array(count + 1);
            for (var i = 0; i < count; i++) {
              parts[i] = songs[i].title + ' ' + songs[i].artist + ' ' + songs[i].path;
              searchStart[i + 1] = searchStart[i] + parts[i].length + 1;
            }
            // Lower-casing keeps each song's length here except for a few characters (İ), so it is done per song
            // where it would not.
            searchText = parts.join('\u0000').toLowerCase();
            if (searchText.length !== searchStart[count] - 1) {
              parts = parts.map(function (part) { return part.toLowerCase(); });
              for (i = 0; i < count; i++) { searchStart[i + 1] = searchStart[i] + parts[i].length + 1; }
              searchText = parts.join('\u0000');
            }
          }
          // The song whose text holds position `at` of the search text.
          function songAtOffset(at) {
            var low = 0, high = count - 1;
            while (low < high) {
              var middle = (low + high + 1) >> 1;
              if (searchStart[middle] <= at) { low = middle; } else { high = middle - 1; }
            }
            return low;
          }
          var searchBox = document.getElementById('search');
          var found = [];
          searchBox.addEventListener('input', function (event) {
            var query = event.target.value.trim().toLowerCase();
            found = [];
            if (query !== '') {
              if (!searchText) { buildSearch(); }
              for (var at = searchText.indexOf(query); at >= 0 && count; at = searchText.indexOf(query, at)) {
                var song = songAtOffset(at);
                found.push(song);
                at = searchStart[song + 1];
              }
            }
            api.matches = found.length;
            var shown = query !== '' && found.length <= \#(searchHighlightLimit);
            dotCanvas.classList.toggle('dim', shown);
            matches = shown ? found : [];
            searchNote.textContent = query === '' ? '' : found.length + (found.length === 1 ? ' song matches' : ' songs match') +
              (shown ? '' : ': too many to pick out; type more');
            drawOverlay();
          });
          // Enter in the search box opens the first match: selected, played, and shown.
          searchBox.addEventListener('keydown', function (event) {
            if (event.key !== 'Enter' || !found.length) { return; }
            event.preventDefault();
            select(found[0]);
            play(found[0]);
            show(found[0]);
          });

          // Zoom around a point and pan, by moving the box: wheel and drag with a mouse, pinch and drag on touch, keys.
          function zoom(anchor, factor) {
            box.x = anchor.x - (anchor.x - box.x) * factor;
            box.y = anchor.y - (anchor.y - box.y) * factor;
            box.width *= factor; box.height *= factor;
            viewChanged();
          }
          api.zoom = function (x, y, factor) { zoom({ x: x, y: y }, factor); };
          // Centres the view on (x, y) at `pixelsPerUnit` screen pixels per map unit.
          function look(x, y, pixelsPerUnit) {
            box.width = view.width / pixelsPerUnit; box.height = view.height / pixelsPerUnit;
            box.x = x - box.width / 2; box.y = y - box.height / 2;
            viewChanged();
          }
          api.look = look;
          function show(index) {
            var seen = viewBox(-20);
            if (xs[index] < seen.x0 || xs[index] > seen.x1 || ys[index] < seen.y0 || ys[index] > seen.y1) {
              look(xs[index], ys[index], view.scale);
            }
          }
          function reset() {
            box = { x: land.bounds[0], y: land.bounds[1], width: land.bounds[2], height: land.bounds[3] };
            viewChanged();
          }
          api.reset = reset;
          canvas.addEventListener('wheel', function (event) {
            event.preventDefault();
            zoom(toMap(event.clientX, event.clientY), event.deltaY < 0 ? 0.85 : 1 / 0.85);
          }, { passive: false });
          canvas.addEventListener('keydown', function (event) {
            var step = 40 / view.scale, centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
            var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
            if (moves[event.key]) {
              box.x += moves[event.key][0]; box.y += moves[event.key][1];
              viewChanged();
            } else if (event.key === '+' || event.key === '=') {
              zoom(centre, 0.8);
            } else if (event.key === '-' || event.key === '_') {
              zoom(centre, 1 / 0.8);
            } else if (event.key === '0') {
              reset();
            } else if (event.key === 'Enter' && selected >= 0) {
              play(selected);
            } else {
              return;
            }
            event.preventDefault();
          });
          var drag = null, moved = false;
          canvas.addEventListener('mousedown', function (event) {
            moved = false;
            tooltip.style.display = 'none';
            if (event.shiftKey) {
              lasso = [toMap(event.clientX, event.clientY)];
              return;
            }
            drag = { start: toMap(event.clientX, event.clientY), clientX: event.clientX, clientY: event.clientY };
            canvas.classList.add('dragging');
          });
          window.addEventListener('mousemove', function (event) {
            if (lasso) {
              lasso.push(toMap(event.clientX, event.clientY));
              moved = true;
              drawOverlay();
              return;
            }
            if (!drag) { return; }
            if (Math.abs(event.clientX - drag.clientX) + Math.abs(event.clientY - drag.clientY) > 3) { moved = true; }
            var point = toMap(event.clientX, event.clientY);
            box.x -= point.x - drag.start.x;
            box.y -= point.y - drag.start.y;
            viewChanged();
          });
          // Even-odd rule: whether (x, y) is inside the polygon.
          function inside(polygon, x, y) {
            var result = false;
            for (var i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
              var a = polygon[i], b = polygon[j];
              if ((a.y > y) !== (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) { result = !result; }
            }
            return result;
          }
          window.addEventListener('mouseup', function () {
            if (lasso) {
              if (lasso.length > 2) {
                var polygon = lasso;
                api.lasso = polygon.map(function (p) { return [p.x, p.y]; });
                var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
                polygon.forEach(function (p) { x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y); });
                var inLasso = [];
                eachInBox(x0, y0, x1, y1, function (i) { if (inside(polygon, xs[i], ys[i])) { inLasso.push(i); } });
                inLasso.sort(function (a, b) { return a - b; }).forEach(function (i) { pick(i, true); });
              }
              lasso = null;
              showPicks();
              return;
            }
            drag = null;
            canvas.classList.remove('dragging');
          });
          var touches = null;
          function touchState(list) {
            var points = Array.prototype.map.call(list, function (touch) { return { x: touch.clientX, y: touch.clientY }; });
            var centre = points.reduce(function (sum, p) { return { x: sum.x + p.x / points.length, y: sum.y + p.y / points.length }; }, { x: 0, y: 0 });
            var spread = points.length > 1 ? Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y) : 0;
            return { centre: centre, spread: spread, count: points.length };
          }
          canvas.addEventListener('touchstart', function (event) {
            touches = touchState(event.touches);
          }, { passive: true });
          canvas.addEventListener('touchmove', function (event) {
            if (!touches) { return; }
            event.preventDefault();
            var next = touchState(event.touches);
            if (next.count !== touches.count) { touches = next; return; }
            var before = toMap(touches.centre.x, touches.centre.y);
            if (next.count > 1 && touches.spread > 0 && next.spread > 0) {
              zoom(before, touches.spread / next.spread);
            }
            var after = toMap(next.centre.x, next.centre.y);
            box.x -= after.x - before.x;
            box.y -= after.y - before.y;
            touches = next;
            viewChanged();
          }, { passive: false });
          canvas.addEventListener('touchend', function (event) {
            touches = event.touches.length ? touchState(event.touches) : null;
          });
          // A new size, or a new device pixel ratio (zooming the browser, moving to another screen): draw again.
          if (window.ResizeObserver) {
            new ResizeObserver(function () { if (!frame) { frame = requestAnimationFrame(drawAll); } }).observe(stage);
          }
          window.addEventListener('resize', function () { if (!frame) { frame = requestAnimationFrame(drawAll); } });

          var indexed = performance.now();
          drawAll();
          timings.index = indexed - parsed;
          timings.draw = performance.now() - indexed;
          // map.html#song=N opens with song N selected (its neighbours listed), for links and pictures.
          var wanted = /^#song=(\d+)$/.exec(location.hash);
          if (wanted && Number(wanted[1]) < count) { select(Number(wanted[1])); }
          // The canvases painted: the first render, from navigation start.
          api.flush();
          timings.script = performance.now() - started;
          timings.firstRender = performance.now();
        })();
        """#
    }

    /// A search picks out its matches when at most this many songs match; more only counts them.
    static let searchHighlightLimit = 2000
    /// Labels show once a map unit spans this many screen pixels.
    static let labelPixelsPerUnit = 60
    /// Labels show only when at most this many songs are in view.
    static let labelLimit = 400
}
