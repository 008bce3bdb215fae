// Live run page: appends log lines as the run produces them and keeps the badge, the facts, the
// history and the buttons in step with the run's status events, until the run ends.
// Without JavaScript the page still shows the log and facts as they were when loaded.
//
// A run may print millions of lines in a burst, so lines are never drawn one by one: they wait in
// an array (they arrive many to an event) and go into the page once per animation frame as one block, the console keeps at most
// data-max-lines of them (older ones leave the page; the console viewer has them all), and the
// layout is read once per frame (to decide whether to keep scrolling), never once per line.
(function () {
  var pre = document.getElementById('console');
  if (!pre) return;
  var runId = pre.dataset.run;
  var maxLines = parseInt(pre.dataset.maxLines, 10) || 5000;
  // a frame draws at most this many: a burst becomes many small frames, not a few long ones
  var perFrame = 500;
  var badge = document.getElementById('status');

  function text(id, value) {
    var e = document.getElementById(id);
    if (e) e.textContent = value;
  }

  // as the server writes them (web/Format): "2026-12-01 08:00:00 UTC", "3 min 2 s"
  function time(iso) {
    return iso ? iso.substring(0, 19).replace('T', ' ') + ' UTC' : '—';
  }

  function duration(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  // --- facts, progress and history ---------------------------------------------------------
  var facts = document.getElementById('facts');
  var startedAt = facts && facts.dataset.started ? Date.parse(facts.dataset.started) : null;
  var finished = pre.dataset.final === 'true';
  var progress = document.getElementById('progress');

  function tick() {
    if (finished || startedAt === null) return;
    var elapsed = (Date.now() - startedAt) / 1000;
    text('duration', duration(elapsed));
    if (progress) {
      progress.hidden = false;
      progress.value = Math.min(elapsed, progress.max);
      text('progress-text', duration(elapsed) + ' of about ' + duration(progress.max));
    }
  }

  function showStatus(s) {
    badge.textContent = s.status;
    badge.className = 'status ' + s.status;
    if (s.startedAt) startedAt = Date.parse(s.startedAt);
    // the lock the run waited for is its now: the sentence naming its holder is history
    var waiting = document.getElementById('waiting-for');
    if (waiting && s.status !== 'queued') waiting.remove();
    text('started', time(s.startedAt));
    text('finished', time(s.finishedAt));
    if (s.final) {
      finished = true;
      text('exit-code', s.exitCode === '' ? '—' : s.exitCode);
      if (s.startedAt && s.finishedAt) text('duration', duration((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000));
      var cancel = document.getElementById('cancel-form');
      if (cancel) cancel.remove();
      if (progress) progress.remove();
      var progressText = document.getElementById('progress-text');
      if (progressText) progressText.remove();
    }
    tick();
    refreshHistory();
    // the approval and chain steps (decisions.js) follow the status too
    document.dispatchEvent(new CustomEvent('run-status', { detail: s }));
  }

  // the history rows come from the run's JSON: the event says what changed, not who did it and why
  function refreshHistory() {
    var table = document.getElementById('transitions');
    if (!table || !window.fetch) return;
    fetch('/api/runs/' + runId, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (run) {
        if (!run) return;
        var body = document.createElement('tbody');
        run.transitions.forEach(function (t) {
          var row = body.insertRow();
          [time(t.at), (t.from || '—') + ' → ' + t.to, t.actor || '', t.reason || ''].forEach(function (v) {
            row.insertCell().textContent = v;
          });
        });
        while (table.tBodies.length) table.removeChild(table.tBodies[0]);
        table.appendChild(body);
      })
      .catch(function () { /* the page keeps the rows it has; the next change tries again */ });
  }

  if (finished || !window.EventSource) return;
  setInterval(tick, 1000);
  tick();

  // --- the console -------------------------------------------------------------------------
  var pending = [];      // lines received and not yet drawn
  var blocks = [];       // what the console holds: {node, lines}, oldest first
  var shown = 0;         // lines in the console
  var left = 0;          // lines that left the console (or never entered it) because of the bound
  var drawing = false;
  var ended = null;      // the final status event, applied once the lines before it are drawn
  var earlier = document.getElementById('earlier');
  var earlierLink = document.getElementById('earlier-link');
  var viewer = earlierLink ? earlierLink.getAttribute('href') : null;
  // the log's line number of the console's first line as loaded (the server cut the log there)
  var firstLine = parseInt(pre.dataset.firstLine, 10) || 1;

  if (pre.firstChild) {
    var initial = pre.textContent;
    var count = initial.split('\n').length - (initial.charAt(initial.length - 1) === '\n' ? 1 : 0);
    blocks.push({ node: pre.firstChild, lines: count });
    shown = count;
  }

  function schedule() {
    if (!drawing) {
      drawing = true;
      requestAnimationFrame(draw);
    }
  }

  // drops the oldest lines until the console holds at most maxLines
  function trim() {
    while (shown > maxLines && blocks.length) {
      var first = blocks[0];
      var excess = shown - maxLines;
      if (first.lines <= excess) {
        first.node.remove();
        blocks.shift();
        shown -= first.lines;
        left += first.lines;
      } else {
        var data = first.node.textContent;
        var cut = 0;
        for (var i = 0; i < excess; i++) cut = data.indexOf('\n', cut) + 1;
        first.node.textContent = data.substring(cut);
        first.lines -= excess;
        shown -= excess;
        left += excess;
      }
    }
    if (left > 0 && earlier) {
      earlier.hidden = false;
      text('earlier-count', String(left));
      // the viewer opens at the last line that left, just above what the console still shows
      var line = firstLine + left - 1;
      if (earlierLink) earlierLink.href = viewer + '?line=' + line + '#L' + line;
    }
  }

  function draw() {
    drawing = false;
    if (pending.length) {
      if (pending.length > maxLines) {
        left += pending.length - maxLines;
        pending = pending.slice(pending.length - maxLines);
      }
      var lines = pending.slice(0, perFrame);
      pending = pending.slice(lines.length);
      // the one layout read of the frame, before the page changes
      var following = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
      var block = document.createElement('span');
      block.className = 'block';
      block.textContent = lines.join('\n') + '\n';
      pre.appendChild(block);
      blocks.push({ node: block, lines: lines.length });
      shown += lines.length;
      trim();
      if (following) window.scrollTo(0, document.body.scrollHeight);
      if (pending.length) schedule();
    }
    if (ended && !pending.length) {
      showStatus(ended);
      pre.dataset.final = 'true';
    }
  }

  // batch=true: many lines per event, as a browser spends more on each event than on each line
  var source = new EventSource('/api/runs/' + runId + '/log/stream?batch=true&start=' + pre.dataset.offset);
  source.addEventListener('lines', function (e) {
    var lines = e.data.split('\n');
    for (var i = 0; i < lines.length; i++) pending.push(lines[i]);
    // a hidden tab draws no frames: what it could never show is not kept either
    if (pending.length > 2 * maxLines) {
      left += pending.length - maxLines;
      pending = pending.slice(pending.length - maxLines);
    }
    schedule();
  });
  source.addEventListener('status', function (e) {
    var s = JSON.parse(e.data);
    if (s.final) {
      source.close();
      ended = s;
      schedule();
    } else {
      showStatus(s);
    }
  });
})();
