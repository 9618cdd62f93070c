extension SongMapDrawing {
    /// The page's self-test, for headless browsers: open the page with `#selftest`.
    ///
    /// A separate script, so it reports even when the map's script failed. It drives the page
    /// as a user would (hover, search, click, "walk to", a second click, a shift-drag lasso,
    /// "Save as M3U8", zooming in) and writes what it saw as ASCII-only JSON into a hidden
    /// `<pre id="selftest-result">`: the script errors, the tooltip, the neighbours listed,
    /// the path drawn, the songs picked and the saved playlist's text, the player line, the
    /// labels shown, and the page's own timings in milliseconds (`performance.now()`: first
    /// render from navigation start to the dots laid out, hover and search from event to forced layout).
    static let selfTestScript = #"""
        if (location.hash === '#selftest') {
          (async function () {
            function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }
            var result = { errors: window.songMapErrors, songs: document.querySelectorAll('.song').length, tooltip: null };
            var map = window.songMap;
            try {
              // Everything up to the player runs before the first await: once the page has loaded, a headless
              // browser with a virtual time budget stops its clock between tasks, so only these timings are real.
              if (map && map.dots.length) {
                var dots = map.dots, songs = map.songs, svg = document.getElementById('map');
                result.timings = { script: map.timings.script, firstRender: map.timings.firstRender };
                var tip = document.getElementById('tooltip');
                var start = performance.now();
                dots[0].dispatchEvent(new MouseEvent('mouseover', { bubbles: true, clientX: 10, clientY: 10 }));
                tip.getBoundingClientRect();
                result.timings.hover = performance.now() - start;
                result.tooltip = tip.textContent;

                var search = document.getElementById('search');
                search.value = songs[0].title;
                start = performance.now();
                search.dispatchEvent(new Event('input', { bubbles: true }));
                dots[dots.length - 1].getBoundingClientRect();
                result.timings.search = performance.now() - start;
                result.matches = map.matches;
                search.value = '';
                search.dispatchEvent(new Event('input', { bubbles: true }));

                dots[0].dispatchEvent(new MouseEvent('click', { bubbles: true }));
                var items = document.querySelectorAll('#neighbours li');
                result.neighbours = Array.prototype.map.call(items, function (item) { return Number(item.dataset.song); });
                result.neighbourText = items.length ? items[0].textContent : null;
                var walk = items.length ? items[0].querySelectorAll('button')[1] : null;
                if (walk) {
                  walk.click();
                  result.walked = map.selected;
                }
                result.pathFrom = map.selected;
                result.pathTo = dots.length - 1;
                start = performance.now();
                dots[dots.length - 1].dispatchEvent(new MouseEvent('click', { bubbles: true }));
                result.timings.path = performance.now() - start;
                result.path = map.path === undefined ? null : map.path;
                result.pathPoints = document.getElementById('path').points.numberOfItems;
                result.pathNote = document.getElementById('path-note').textContent;

                // A lasso around the left half of the songs: split between two songs' x, so none lies on the edge.
                var xs = songs.map(function (song) { return song.x; }).sort(function (a, b) { return a - b; });
                var ys = songs.map(function (song) { return song.y; });
                var split = xs.length > 1 ? (xs[Math.floor(xs.length / 2) - 1] + xs[Math.floor(xs.length / 2)]) / 2 : xs[0] + 0.5;
                var top = Math.min.apply(null, ys) - 1, bottom = Math.max.apply(null, ys) + 1, left = xs[0] - 1;
                result.lassoRight = split;
                var corners = [[left, top], [split, top], [split, bottom], [left, bottom]].map(function (corner) {
                  return map.toClient(corner[0], corner[1]);
                });
                svg.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, shiftKey: true, clientX: corners[0].x, clientY: corners[0].y }));
                corners.slice(1).forEach(function (corner) {
                  window.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, shiftKey: true, clientX: corner.x, clientY: corner.y }));
                });
                window.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, shiftKey: true, clientX: corners[3].x, clientY: corners[3].y }));
                result.picked = map.picked || [];
                // The lasso as the page drew it: mouse events carry whole pixels, so its edges moved a little.
                result.lasso = map.lasso || null;
                var save = document.getElementById('save');
                result.saveEnabled = !save.disabled;
                if (!save.disabled) {
                  save.click();
                  result.download = map.savedTexts[map.savedTexts.length - 1];
                }

                // Until the player has an outcome (playing, or a reason shown), for at most 5 s.
                for (var tries = 0; tries < 50 && map.playing === undefined && !map.mediaErrors.length; tries++) {
                  await wait(100);
                }
                result.player = document.getElementById('now').textContent;
                result.playerProblem = document.getElementById('now').classList.contains('problem');
                result.mediaErrors = map.mediaErrors;
                result.playing = map.playing === undefined ? null : map.playing;
                var audio = document.getElementById('player');
                result.audio = { paused: audio.paused, readyState: audio.readyState, error: audio.error ? audio.error.code : 0,
                                 source: audio.getAttribute('src') };

                // Zoom in on the first song until a unit spans 100 pixels: its label shows.
                var box = svg.viewBox.baseVal, rect = svg.getBoundingClientRect();
                var scale = Math.min(rect.width / box.width, rect.height / box.height);
                map.zoom(songs[0].x, songs[0].y, scale / 100);
                await wait(200);
                result.labels = Array.prototype.map.call(document.querySelectorAll('#labels text'), function (label) {
                  return label.textContent;
                });
                result.regions = Array.prototype.map.call(document.querySelectorAll('#regions text'), function (label) {
                  return label.textContent;
                });
              }
            } catch (error) {
              result.errors.push('selftest: ' + error);
            }
            var out = document.createElement('pre');
            out.id = 'selftest-result';
            out.hidden = true;
            // ASCII only: a DOM dump escapes &, < and > and non-breaking spaces.
            out.textContent = JSON.stringify(result).replace(/[^\x20-\x7e]|[<>&]/g, function (c) {
              return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
            });
            document.body.appendChild(out);
          })();
        }
        """#
}
