// Live structure: while the run goes on, replaces the tasks, recap and outputs above the console
// with the server's current rendering of them. Without JavaScript the page shows them as loaded.
(function () {
  var section = document.getElementById('structure');
  if (!section || section.dataset.final === 'true' || !window.fetch || !window.DOMParser) return;
  var url = window.location.pathname.replace(/\/?$/, '/') + 'structure';
  function refresh() {
    fetch(url, {credentials: 'same-origin'}).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('structure');
      if (!fresh) return;
      section.replaceWith(fresh);
      section = fresh;
      if (fresh.dataset.final !== 'true') setTimeout(refresh, 2000);
    }).catch(function () { setTimeout(refresh, 5000); });
  }
  setTimeout(refresh, 2000);
})();
