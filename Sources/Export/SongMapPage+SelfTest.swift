extension SongMapDrawing {
    /// The page's self-test, for headless browsers: open the page with `#selftest`.
    ///
    /// A separate script, so it reports even when the map's script failed. It drives the page
    /// as a user would, with mouse events at the dots' places on the canvas (hover, search, click,
    /// "walk to", a second click, a shift-drag lasso, "Save as M3U8", zooming in), and writes what it
    /// saw as ASCII-only JSON into a hidden `<pre id="selftest-result">`: the script errors, the dots
    /// drawn, the song hovered with its tooltip and the song a scan of every dot finds nearest the
    /// pointer (the grid index must agree), the neighbours listed, the path drawn, the songs picked
    /// and the saved playlist's text, the player line, a zoom by key and a search opened with Enter,
    /// the canvases' size (in device pixels) after the stage narrows, the labels and playlist names shown, and the
    /// page's own timings in milliseconds (`performance.now()`: first render from navigation start
    /// to the canvases painted; hover from event to tooltip laid out; search and path from event
    /// to the overlay painted).
    static let selfTestScript = #"""
        if (location.hash === '#selftest') {
          (async function () {
            function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }
            var result = { errors: window.songMapErrors, songs: 0, tooltip: null };
            var map = window.songMap;
            try {
              // Everything up to the player runs before the first await: once the page has loaded, a headless
              // browser with a virtual time budget stops its clock between tasks, so only these timings are real.
              if (map && map.songs.length) {
                var songs = map.songs, last = songs.length - 1, canvas = document.getElementById('map');
                result.songs = map.drawn;
                result.timings = { script: map.timings.script, firstRender: map.timings.firstRender, parse: map.timings.parse,
                                   index: map.timings.index, draw: map.timings.draw };
                var tip = document.getElementById('tooltip');
                // A mouse event at the first song's place on the canvas; events carry whole pixels.
                function mouse(type, target, x, y, shift) {
                  var event = new MouseEvent(type, { bubbles: true, shiftKey: Boolean(shift), clientX: x, clientY: y });
                  target.dispatchEvent(event);
                  return event;
                }
                var at = map.toClient(songs[0].x, songs[0].y);
                var start = performance.now();
                var moved = mouse('mousemove', canvas, at.x, at.y);
                tip.getBoundingClientRect();
                result.timings.hover = performance.now() - start;
                result.tooltip = tip.style.display === 'none' ? null : tip.textContent;
                result.hovered = map.hovered;
                // The song nearest the pointer by a scan of every song: what the grid index must find.
                var point = map.toMap(moved.clientX, moved.clientY), nearest = -1, best = Infinity;
                for (var i = 0; i < songs.length; i++) {
                  var dx = songs[i].x - point.x, dy = songs[i].y - point.y, distance = dx * dx + dy * dy;
                  if (distance < best || (distance === best && i > nearest)) { nearest = i; best = distance; }
                }
                result.hoverNearest = nearest;

                var search = document.getElementById('search');
                search.value = songs[0].title;
                start = performance.now();
                search.dispatchEvent(new Event('input', { bubbles: true }));
                map.flush();
                result.timings.search = performance.now() - start;
                result.matches = map.matches;
                search.value = '';
                search.dispatchEvent(new Event('input', { bubbles: true }));

                // Clicks close up, where no two dots share a pixel: the first song, then "walk to" its nearest,
                // then the last song, which draws the path.
                map.look(songs[0].x, songs[0].y, 4000);
                at = map.toClient(songs[0].x, songs[0].y);
                mouse('mousedown', canvas, at.x, at.y);
                mouse('mouseup', window, at.x, at.y);
                mouse('click', canvas, at.x, at.y);
                result.clicked = map.selected === undefined ? null : map.selected;
                var items = document.querySelectorAll('#neighbours li');
                result.neighbours = Array.prototype.map.call(items, function (item) { return Number(item.dataset.song); });
                result.neighbourText = items.length ? items[0].textContent : null;
                var walk = items.length ? items[0].querySelectorAll('button')[1] : null;
                if (walk) {
                  walk.click();
                  result.walked = map.selected;
                }
                result.pathFrom = map.selected;
                result.pathTo = last;
                map.look(songs[last].x, songs[last].y, 4000);
                at = map.toClient(songs[last].x, songs[last].y);
                start = performance.now();
                mouse('mousedown', canvas, at.x, at.y);
                mouse('mouseup', window, at.x, at.y);
                mouse('click', canvas, at.x, at.y);
                map.flush();
                result.timings.path = performance.now() - start;
                result.path = map.path === undefined ? null : map.path;
                result.pathPoints = map.pathPoints;
                result.pathNote = document.getElementById('path-note').textContent;

                // A lasso around the left half of the songs, on the whole map: split between two songs' x, so none
                // lies on the edge.
                map.reset();
                map.redraw();
                var xs = songs.map(function (song) { return song.x; }).sort(function (a, b) { return a - b; });
                var ys = songs.map(function (song) { return song.y; });
                var split = xs.length > 1 ? (xs[Math.floor(xs.length / 2) - 1] + xs[Math.floor(xs.length / 2)]) / 2 : xs[0] + 0.5;
                var top = Math.min.apply(null, ys) - 1, bottom = Math.max.apply(null, ys) + 1, left = xs[0] - 1;
                result.lassoRight = split;
                var corners = [[left, top], [split, top], [split, bottom], [left, bottom]].map(function (corner) {
                  return map.toClient(corner[0], corner[1]);
                });
                mouse('mousedown', canvas, corners[0].x, corners[0].y, true);
                corners.slice(1).forEach(function (corner) { mouse('mousemove', window, corner.x, corner.y, true); });
                mouse('mouseup', window, corners[3].x, corners[3].y, true);
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

                // Keys: '+' on the focused map zooms in; Enter in the search box selects the first match.
                canvas.focus();
                var before = map.pixelsPerUnit();
                canvas.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true, cancelable: true }));
                result.keyZoom = map.pixelsPerUnit() / before;
                search.value = songs[last].title;
                search.dispatchEvent(new Event('input', { bubbles: true }));
                search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
                result.searchEnter = map.selected;
                result.searchEnterExpected = songs.findIndex(function (song) {
                  return (song.title + ' ' + song.artist + ' ' + song.path).toLowerCase().indexOf(songs[last].title.toLowerCase()) >= 0;
                });
                search.value = '';
                search.dispatchEvent(new Event('input', { bubbles: true }));

                // A narrower stage: the canvases take its new size in device pixels, drawn again.
                document.getElementById('side').style.width = '420px';
                await wait(300);
                var stage = document.getElementById('stage');
                result.resize = { canvas: canvas.width, dots: document.getElementById('dots').width,
                                  expected: Math.round(stage.clientWidth * (window.devicePixelRatio || 1)), ratio: window.devicePixelRatio || 1 };

                // Zoom in on the first song until a unit spans 100 pixels: its label shows.
                map.look(songs[0].x, songs[0].y, 100);
                map.redraw();
                await wait(200);
                result.labels = map.labelTexts;
                result.regions = map.regions;
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
