// Live approval, gates and chain steps: while the run goes on, replaces them with the server's
// current rendering, so that a run approved or denied in another tab loses its buttons and shows
// its outcome, and a chain's steps show their statuses and runs as they change. A status event of
// the run's (follow.js) redraws at once; a chain's steps change without one, so it also polls.
// Without JavaScript the page shows them as loaded.
(function () {
  var part = document.getElementById('decisions');
  // a run without approval or steps has nothing here to follow
  if (!part || !part.children.length || part.dataset.final === 'true' || !window.fetch || !window.DOMParser) return;
  var PERIOD = 2000;
  var timer = null;
  function refresh() {
    clearTimeout(timer);
    fetch(location.pathname, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('decisions');
        if (!fresh) return;
        // unchanged markup is left alone: a comment being typed stays where it is
        if (fresh.innerHTML !== part.innerHTML) {
          fresh = document.adoptNode(fresh);
          part.replaceWith(fresh);
          part = fresh;
        }
        if (fresh.dataset.final !== 'true' && changing(fresh)) timer = setTimeout(refresh, PERIOD);
      })
      .catch(function () { timer = setTimeout(refresh, 2 * PERIOD); });
  }
  // a waiting approval gathers decisions and a chain's steps move without a status event of the
  // run's; once decided, an approval changes only with the status, which the event reports
  function changing(root) {
    return root.querySelector('#chain-steps, #approval[data-waiting="true"]') !== null;
  }
  document.addEventListener('run-status', refresh);
  if (changing(part)) timer = setTimeout(refresh, PERIOD);
})();
