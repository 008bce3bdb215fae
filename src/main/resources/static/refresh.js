// Dashboard and workflow pages: the parts marked data-refresh (running and queued runs, the last
// runs, the history) are fetched again every few seconds while the tab is visible, so that a page
// left open keeps up without a reload. Without JavaScript the page is as it was when loaded.
(function () {
  var PERIOD = 5000;
  if (!window.fetch || !window.DOMParser || !document.querySelector('[data-refresh]')) return;
  function refresh() {
    if (document.hidden) return;
    fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        document.querySelectorAll('[data-refresh]').forEach(function (part) {
          var replacement = part.id && fresh.getElementById(part.id);
          if (replacement && replacement.innerHTML !== part.innerHTML) part.replaceWith(document.adoptNode(replacement));
        });
      })
      .catch(function () { /* the page keeps what it shows; the next period tries again */ });
  }
  setInterval(refresh, PERIOD);
})();
