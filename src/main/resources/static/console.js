// Whole-log viewer: loads more lines from /api/runs/{id}/log/lines when the reader scrolls near
// either end of the page. Without this script the paging links do the same, a page at a time.
(function () {
  'use strict';
  var box = document.getElementById('lines');
  if (!box) {
    return;
  }
  var run = box.getAttribute('data-run');
  var first = parseInt(box.getAttribute('data-first'), 10);
  var last = parseInt(box.getAttribute('data-last'), 10);
  var total = parseInt(box.getAttribute('data-total'), 10);
  var times = box.getAttribute('data-times') === 'true';
  var PAGE = 500;
  var MARGIN = 800;
  var loading = false;

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  function row(number, text, second) {
    var div = document.createElement('div');
    div.className = 'line';
    div.id = 'L' + number;
    var a = document.createElement('a');
    a.className = 'n';
    a.href = '?line=' + number + (times ? '&times=true' : '') + '#L' + number;
    a.textContent = String(number);
    div.appendChild(a);
    if (times) {
      var t = document.createElement('span');
      t.className = 't';
      if (second !== null && second !== undefined) {
        var d = new Date(second * 1000);
        t.textContent = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
      }
      div.appendChild(t);
    }
    var x = document.createElement('span');
    x.className = 'x';
    // text, never markup: a log line is data
    x.textContent = text;
    div.appendChild(x);
    return div;
  }

  function fetchLines(from, count, done) {
    loading = true;
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/runs/' + run + '/log/lines?from=' + from + '&count=' + count + (times ? '&times=true' : ''));
    xhr.onload = function () {
      loading = false;
      if (xhr.status === 200) {
        done(JSON.parse(xhr.responseText));
      }
    };
    xhr.onerror = function () {
      loading = false;
    };
    xhr.send();
  }

  function later() {
    fetchLines(last + 1, PAGE, function (body) {
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < body.lines.length; i++) {
        fragment.appendChild(row(body.from + i, body.lines[i], body.times ? body.times[i] : null));
      }
      box.appendChild(fragment);
      last = body.from + body.lines.length - 1;
      total = body.total;
      box.setAttribute('data-last', String(last));
    });
  }

  function earlier() {
    var from = Math.max(1, first - PAGE);
    fetchLines(from, first - from, function (body) {
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < body.lines.length; i++) {
        fragment.appendChild(row(body.from + i, body.lines[i], body.times ? body.times[i] : null));
      }
      var before = document.documentElement.scrollHeight;
      box.insertBefore(fragment, box.firstChild);
      // keep the lines the reader is looking at where they are
      window.scrollBy(0, document.documentElement.scrollHeight - before);
      first = body.from;
      box.setAttribute('data-first', String(first));
    });
  }

  function onScroll() {
    if (loading) {
      return;
    }
    var bottom = window.innerHeight + window.scrollY;
    if (last < total && bottom >= document.documentElement.scrollHeight - MARGIN) {
      later();
    } else if (first > 1 && window.scrollY <= MARGIN) {
      earlier();
    }
  }

  var target = location.hash ? document.getElementById(location.hash.substring(1)) : null;
  if (!target) {
    target = box.querySelector('.line.target');
  }
  if (target) {
    target.scrollIntoView();
  } else if (!/[?&](line|from)=/.test(location.search)) {
    // opened at the end, as a console is read
    window.scrollTo(0, document.documentElement.scrollHeight);
  }
  window.addEventListener('scroll', onScroll, { passive: true });
  // a page opened at its top cannot be scrolled up: load the lines above it now
  onScroll();
})();
