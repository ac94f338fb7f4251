// Keeps the open billing page current: each event of the account redraws the page from the server.
(function () {
  'use strict';
  var main = document.getElementById('billing');
  if (!main || !window.EventSource) { return; }
  var pending = false;
  function redraw() {
    if (pending) { return; }
    pending = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        pending = false;
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('billing');
        if (!fresh) { return; }
        // A choice the user is making (a top-up amount) survives the redraw.
        var chosen = {};
        main.querySelectorAll('select[id]').forEach(function (s) { chosen[s.id] = s.value; });
        main.innerHTML = fresh.innerHTML;
        Object.keys(chosen).forEach(function (id) {
          var select = document.getElementById(id);
          if (select) { select.value = chosen[id]; }
        });
      })
      .catch(function () { pending = false; });
  }
  var events = new EventSource(main.getAttribute('data-live'));
  events.addEventListener('change', redraw);
})();
