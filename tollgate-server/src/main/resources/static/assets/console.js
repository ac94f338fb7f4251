// The overview's event tail refreshes itself every few seconds; without script the page is complete, only static.
(function () {
    var tail = document.getElementById('tail');
    if (!tail || !window.fetch) {
        return;
    }
    setInterval(function () {
        fetch(tail.getAttribute('data-src'), {credentials: 'same-origin', headers: {'X-Console-Tail': '1'}})
            .then(function (response) { return response.ok ? response.text() : null; })
            .then(function (html) {
                if (html !== null) {
                    tail.innerHTML = html;
                }
            })
            .catch(function () { /* The next tick tries again. */ });
    }, 3000);
})();
