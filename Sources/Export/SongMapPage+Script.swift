extension SongMapDrawing {
    /// The map page's script: dots, hover, play, neighbours, paths, selections, search, zoom and pan.
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
          var songs = JSON.parse(document.getElementById('song-data').textContent);
          var colours = \#(coloursJSON);
          var clusterNames = \#(clusterNamesJSON);
          var svg = document.getElementById('map');
          var layer = document.getElementById('songs');
          var labelLayer = document.getElementById('labels');
          var tooltip = document.getElementById('tooltip');
          var player = document.getElementById('player');
          var now = document.getElementById('now');
          var pathLine = document.getElementById('path');
          var lassoShape = document.getElementById('lasso');
          var ns = 'http://www.w3.org/2000/svg';
          var timings = { script: 0, firstRender: null };
          var api = { songs: songs, timings: timings, savedTexts: [], mediaErrors: [] };
          window.songMap = api;

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
          api.dots = dots;
          document.getElementById('count').textContent = songs.length + (songs.length === 1 ? ' song' : ' songs');

          function name(song) { return (song.artist ? song.artist + ' – ' : '') + song.title; }
          function describe(song) {
            return name(song) + '\n' + (clusterNames[song.cluster] || '') + '\n' + song.path;
          }
          function songAt(target) {
            return target && target.classList && target.classList.contains('song') ? Number(target.dataset.index) : -1;
          }
          function clear(element) { while (element.firstChild) { element.removeChild(element.firstChild); } }

          // Hover.
          svg.addEventListener('mouseover', function (event) {
            var index = songAt(event.target);
            if (index < 0) { return; }
            tooltip.textContent = describe(songs[index]);
            tooltip.style.display = 'block';
            var stage = svg.getBoundingClientRect();
            tooltip.style.left = (event.clientX - stage.left + 12) + 'px';
            tooltip.style.top = (event.clientY - stage.top + 12) + 'px';
          });
          svg.addEventListener('mouseout', function () { tooltip.style.display = 'none'; });

          // Playing: every failure is said in the player line, with its reason.
          var playing = -1;
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
            if (playing >= 0) { dots[playing].classList.remove('playing'); }
            playing = index;
            dots[index].classList.add('playing');
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
          var selected = -1;
          var nearMarked = [];
          var neighbourList = document.getElementById('neighbours');
          function button(text, action) {
            var element = document.createElement('button');
            element.type = 'button';
            element.textContent = text;
            element.addEventListener('click', action);
            return element;
          }
          function showNeighbours(index) {
            nearMarked.forEach(function (other) { dots[other].classList.remove('near'); });
            nearMarked = [];
            clear(neighbourList);
            var song = songs[index];
            document.getElementById('selected-song').textContent = name(song) +
              (song.near.length ? '' : ': no neighbours listed (the map was written with --neighbours 0, or every other song is a copy)');
            song.near.forEach(function (other, rank) {
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
              similarity.textContent = 'similarity ' + song.similarity[rank].toFixed(2);
              item.appendChild(similarity);
              neighbourList.appendChild(item);
              dots[other].classList.add('near');
              nearMarked.push(other);
            });
          }

          var graph = null;
          function neighbourGraph() {
            if (graph) { return graph; }
            graph = songs.map(function () { return []; });
            songs.forEach(function (song, index) {
              song.near.forEach(function (other, rank) {
                graph[index].push([other, song.distance[rank]]);
                graph[other].push([index, song.distance[rank]]);
              });
            });
            return graph;
          }
          // Dijkstra over the neighbours graph, with a binary heap; null when no chain joins the two.
          function shortestChain(from, to) {
            var edges = neighbourGraph();
            var distance = new Float64Array(songs.length).fill(Infinity);
            var previous = new Int32Array(songs.length).fill(-1);
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
            var chain = [to];
            while (chain[chain.length - 1] !== from) { chain.push(previous[chain[chain.length - 1]]); }
            return chain.reverse();
          }
          function showPath(from, to) {
            var list = document.getElementById('path-songs');
            var note = document.getElementById('path-note');
            clear(list);
            var chain = shortestChain(from, to);
            api.path = chain;
            if (!chain) {
              pathLine.setAttribute('points', '');
              note.textContent = 'No chain of neighbours joins ' + name(songs[from]) + ' and ' + name(songs[to]) +
                ': run songatlas map again with a larger --neighbours.';
              return;
            }
            pathLine.setAttribute('points', chain.map(function (index) { return songs[index].x + ',' + songs[index].y; }).join(' '));
            note.textContent = 'From ' + name(songs[from]) + ' to ' + name(songs[to]) + ', ' + chain.length + ' songs:';
            chain.forEach(function (index) {
              var item = document.createElement('li');
              item.dataset.song = index;
              item.textContent = name(songs[index]);
              list.appendChild(item);
            });
          }
          function select(index) {
            if (selected >= 0) { dots[selected].classList.remove('selected'); }
            var before = selected;
            selected = index;
            dots[index].classList.add('selected');
            api.selected = index;
            showNeighbours(index);
            if (before >= 0 && before !== index) { showPath(before, index); }
          }
          api.select = select;

          // Picking songs for a playlist: shift-click, or a shift-drag lasso.
          var picked = [];
          var isPicked = new Uint8Array(songs.length);
          var saveButton = document.getElementById('save');
          var clearButton = document.getElementById('clear-picks');
          function showPicks() {
            document.getElementById('picked-count').textContent = picked.length + ' picked';
            saveButton.disabled = picked.length === 0 || !songs[0].entry;
            clearButton.disabled = picked.length === 0;
            api.picked = picked.slice();
          }
          function pick(index, on) {
            if (Boolean(isPicked[index]) === on) { return; }
            isPicked[index] = on ? 1 : 0;
            dots[index].classList.toggle('picked', on);
            if (on) { picked.push(index); } else { picked.splice(picked.indexOf(index), 1); }
          }
          clearButton.addEventListener('click', function () {
            picked.slice().forEach(function (index) { pick(index, false); });
            showPicks();
          });
          saveButton.addEventListener('click', function () {
            var text = '#EXTM3U\n' + picked.map(function (index) { return songs[index].entry; }).join('');
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

          svg.addEventListener('click', function (event) {
            var index = songAt(event.target);
            if (index < 0 || moved) { return; }
            if (event.shiftKey) {
              pick(index, !isPicked[index]);
              showPicks();
              return;
            }
            select(index);
            play(index);
          });

          // Search: the dots dim as one layer and the matches are drawn again on top, so a search
          // touches one layer and the matching songs, not every dot.
          var matchLayer = document.getElementById('matches');
          var searchNote = document.getElementById('search-note');
          document.getElementById('search').addEventListener('input', function (event) {
            var query = event.target.value.trim().toLowerCase();
            var found = [];
            if (query !== '') {
              for (var i = 0; i < songs.length; i++) {
                var text = songs[i].search || (songs[i].search = (songs[i].title + ' ' + songs[i].artist + ' ' + songs[i].path).toLowerCase());
                if (text.indexOf(query) >= 0) { found.push(i); }
              }
            }
            clear(matchLayer);
            api.matches = found.length;
            var shown = query !== '' && found.length <= \#(searchHighlightLimit);
            layer.classList.toggle('dim', shown);
            searchNote.textContent = query === '' ? '' : found.length + (found.length === 1 ? ' song matches' : ' songs match') +
              (shown ? '' : ': too many to pick out; type more');
            if (!shown) { return; }
            var copies = document.createDocumentFragment();
            found.forEach(function (index) {
              var copy = dots[index].cloneNode(false);
              copy.classList.add('match');
              copies.appendChild(copy);
            });
            matchLayer.appendChild(copies);
          });

          // Labels: the songs in view, once a unit is wide enough on screen and few enough songs show.
          var box = svg.viewBox.baseVal;
          var labelFrame = 0;
          function pixelsPerUnit() {
            var rect = svg.getBoundingClientRect();
            return Math.min(rect.width / box.width, rect.height / box.height);
          }
          var regionLayer = document.getElementById('regions');
          function updateLabels() {
            labelFrame = 0;
            var scale = pixelsPerUnit();
            // Playlist names keep one size on screen whatever the zoom.
            regionLayer.style.fontSize = (14 / scale) + 'px';
            regionLayer.style.strokeWidth = (3 / scale) + 'px';
            var inView = [];
            if (scale >= \#(labelPixelsPerUnit)) {
              for (var i = 0; i < songs.length && inView.length <= \#(labelLimit); i++) {
                var song = songs[i];
                if (song.x >= box.x && song.x <= box.x + box.width && song.y >= box.y && song.y <= box.y + box.height) {
                  inView.push(i);
                }
              }
            }
            clear(labelLayer);
            api.labels = 0;
            if (inView.length === 0 || inView.length > \#(labelLimit)) { return; }
            var size = 11 / scale;
            var labels = document.createDocumentFragment();
            inView.forEach(function (index) {
              var song = songs[index];
              var label = document.createElementNS(ns, 'text');
              label.setAttribute('class', 'label');
              label.setAttribute('x', song.x + 0.16);
              label.setAttribute('y', song.y + size * 0.35);
              label.style.fontSize = size + 'px';
              label.style.strokeWidth = (size * 0.25) + 'px';
              label.textContent = song.title.length > 28 ? song.title.slice(0, 27) + '…' : song.title;
              labels.appendChild(label);
            });
            labelLayer.appendChild(labels);
            api.labels = inView.length;
          }
          function viewChanged() {
            if (!labelFrame) { labelFrame = setTimeout(updateLabels, 40); }
          }
          api.updateLabels = updateLabels;

          // Zoom around a point and pan, by moving the viewBox: wheel and drag with a mouse, pinch and drag on touch.
          function toMap(clientX, clientY) {
            var point = svg.createSVGPoint();
            point.x = clientX; point.y = clientY;
            return point.matrixTransform(svg.getScreenCTM().inverse());
          }
          api.toClient = function (x, y) {
            var point = svg.createSVGPoint();
            point.x = x; point.y = y;
            var client = point.matrixTransform(svg.getScreenCTM());
            return { x: client.x, y: client.y };
          };
          function zoom(anchor, factor) {
            box.x = anchor.x - (anchor.x - box.x) * factor;
            box.y = anchor.y - (anchor.y - box.y) * factor;
            box.width *= factor; box.height *= factor;
            viewChanged();
          }
          api.zoom = function (x, y, factor) { zoom({ x: x, y: y }, factor); };
          svg.addEventListener('wheel', function (event) {
            event.preventDefault();
            zoom(toMap(event.clientX, event.clientY), event.deltaY < 0 ? 0.85 : 1 / 0.85);
          }, { passive: false });
          var drag = null, lasso = null, moved = false;
          svg.addEventListener('mousedown', function (event) {
            moved = false;
            if (event.shiftKey) {
              lasso = [toMap(event.clientX, event.clientY)];
              return;
            }
            drag = { start: toMap(event.clientX, event.clientY), clientX: event.clientX, clientY: event.clientY };
            svg.classList.add('dragging');
          });
          window.addEventListener('mousemove', function (event) {
            if (lasso) {
              lasso.push(toMap(event.clientX, event.clientY));
              lassoShape.setAttribute('points', lasso.map(function (p) { return p.x + ',' + p.y; }).join(' '));
              moved = true;
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
                api.lasso = lasso.map(function (p) { return [p.x, p.y]; });
                for (var i = 0; i < songs.length; i++) {
                  if (inside(lasso, songs[i].x, songs[i].y)) { pick(i, true); }
                }
                showPicks();
              }
              lasso = null;
              lassoShape.setAttribute('points', '');
              return;
            }
            drag = null;
            svg.classList.remove('dragging');
          });
          var touches = null;
          function touchState(list) {
            var points = Array.prototype.map.call(list, function (touch) { return { x: touch.clientX, y: touch.clientY }; });
            var centre = points.reduce(function (sum, p) { return { x: sum.x + p.x / points.length, y: sum.y + p.y / points.length }; }, { x: 0, y: 0 });
            var spread = points.length > 1 ? Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y) : 0;
            return { centre: centre, spread: spread, count: points.length };
          }
          svg.addEventListener('touchstart', function (event) {
            touches = touchState(event.touches);
          }, { passive: true });
          svg.addEventListener('touchmove', function (event) {
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
          svg.addEventListener('touchend', function (event) {
            touches = event.touches.length ? touchState(event.touches) : null;
          });
          window.addEventListener('resize', viewChanged);

          updateLabels();
          // map.html#song=N opens with song N selected (its neighbours listed), for links and pictures.
          var wanted = /^#song=(\d+)$/.exec(location.hash);
          if (wanted && Number(wanted[1]) < songs.length) { select(Number(wanted[1])); }
          // Style and layout of every dot, done now: the first render less painting, from navigation start.
          layer.getBBox();
          document.body.getBoundingClientRect();
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
