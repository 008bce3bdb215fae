// Live console: appends log lines as the run produces them and stops when the run ends.
// Without JavaScript the page still shows the log as it was when loaded.
(function () {
  var pre = document.getElementById('console');
  if (!pre || pre.dataset.final === 'true' || !window.EventSource) return;
  var url = '/api/runs/' + pre.dataset.run + '/log/stream?start=' + pre.dataset.offset;
  var source = new EventSource(url);
  source.onmessage = function (e) {
    pre.appendChild(document.createTextNode(e.data + '\n'));
    if (window.innerHeight + window.scrollY >= document.body.offsetHeight - 80) window.scrollTo(0, document.body.scrollHeight);
  };
  source.addEventListener('status', function (e) {
    source.close();
    var status = JSON.parse(e.data).status;
    var badge = document.getElementById('status');
    badge.textContent = status;
    badge.className = 'status ' + status;
  });
})();
