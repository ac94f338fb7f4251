// <tollgate-usage account-id="..." token="..."> : an end user's token allowance, live, for any page.
// Authenticates with the end user's JWT: the `token` attribute, or a `getToken` property (a function
// returning the token or a promise of it, e.g. () => supabase.auth.getSession().then(s => s.data.session.access_token)).
// Talks to the Tollgate this script was loaded from (or the `base-url` attribute); the host page's
// origin must be listed in TOLLGATE_CORS_ORIGINS. Renders in a shadow root, so the page's CSS stays out.
(function () {
  'use strict';
  var scriptOrigin = document.currentScript ? new URL(document.currentScript.src).origin : '';
  var STYLE = ':host{display:block;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827}' +
    '.box{border:1px solid #e5e7eb;border-radius:10px;padding:12px 14px;background:#fff}' +
    '.row{display:flex;justify-content:space-between;gap:8px;align-items:baseline}' +
    '.remaining{font-weight:700;font-size:1.1em}.muted{color:#6b7280}' +
    '.track{height:8px;border-radius:4px;background:#e5e7eb;overflow:hidden;margin:8px 0}' +
    '.fill{height:100%;background:#4f46e5}.warn .fill{background:#d97706}' +
    '.warning{color:#92400e;background:#fffbeb;border-radius:6px;padding:4px 8px;margin:6px 0 0}' +
    '.error{color:#991b1b}a{color:#4f46e5}';

  class TollgateUsage extends HTMLElement {
    static get observedAttributes() { return ['account-id', 'token']; }

    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      this._abort = null;
    }

    connectedCallback() { this._load(); this._follow(); }

    disconnectedCallback() { if (this._abort) { this._abort.abort(); } }

    attributeChangedCallback() { if (this.isConnected) { this._load(); } }

    _base() { return (this.getAttribute('base-url') || scriptOrigin).replace(/\/+$/, ''); }

    _token() {
      if (typeof this.getToken === 'function') { return Promise.resolve(this.getToken()); }
      return Promise.resolve(this.getAttribute('token'));
    }

    _request(path, signal) {
      var self = this;
      return this._token().then(function (token) {
        return fetch(self._base() + path, { headers: { 'Authorization': 'Bearer ' + token }, signal: signal });
      });
    }

    _load() {
      var self = this;
      var account = this.getAttribute('account-id');
      if (!account) { return; }
      this._request('/v1/accounts/' + encodeURIComponent(account)).then(function (response) {
        if (!response.ok) { throw new Error('Tollgate answered ' + response.status); }
        return response.json();
      }).then(function (summary) { self._render(summary); })
        .catch(function (error) { self._renderError(error); });
    }

    // Follows the account's event stream (fetch, so that the JWT travels in a header) and reloads on each event.
    _follow() {
      var self = this;
      var account = this.getAttribute('account-id');
      if (!account || !window.ReadableStream) { return; }
      if (this._abort) { this._abort.abort(); }
      this._abort = new AbortController();
      var signal = this._abort.signal;
      this._request('/v1/accounts/' + encodeURIComponent(account) + '/events/stream', signal).then(function (response) {
        if (!response.ok || !response.body) { throw new Error('stream ' + response.status); }
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = '';
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) { throw new Error('stream ended'); }
            buffer += decoder.decode(chunk.value, { stream: true });
            var messages = buffer.split('\n\n');
            buffer = messages.pop();
            if (messages.some(function (m) { return /^data:/m.test(m); })) { self._load(); }
            return pump();
          });
        }
        return pump();
      }).catch(function () {
        if (!signal.aborted) { setTimeout(function () { self._follow(); }, 5000); }
      });
    }

    _render(s) {
      var t = s.tokens || {};
      var percent = typeof t.percent_used === 'number' ? t.percent_used : 0;
      var warning = (s.warnings || [])[0];
      var root = this.shadowRoot;
      root.innerHTML = '';
      var style = document.createElement('style');
      style.textContent = STYLE;
      root.appendChild(style);
      var box = el('div', 'box' + (warning ? ' warn' : ''));
      var row = el('div', 'row');
      row.appendChild(el('span', 'remaining', t.remaining === null || t.remaining === undefined
        ? 'Unlimited tokens' : t.remaining.toLocaleString('en-US') + ' tokens left'));
      row.appendChild(el('span', 'muted', t.limit ? percent + '% used' : ''));
      box.appendChild(row);
      var track = el('div', 'track');
      track.setAttribute('role', 'progressbar');
      track.setAttribute('aria-valuemin', '0');
      track.setAttribute('aria-valuemax', '100');
      track.setAttribute('aria-valuenow', String(percent));
      track.setAttribute('aria-label', 'Tokens used');
      var fill = el('div', 'fill');
      fill.style.width = Math.min(100, percent) + '%';
      track.appendChild(fill);
      box.appendChild(track);
      if (warning) { box.appendChild(el('p', 'warning', warning.message)); }
      var billing = this.getAttribute('billing-url');
      if (billing) {
        var link = el('a', '', 'Billing and plans');
        link.href = billing;
        box.appendChild(link);
      }
      root.appendChild(box);
    }

    _renderError(error) {
      this.shadowRoot.innerHTML = '';
      this.shadowRoot.appendChild(el('span', 'error', 'Usage is unavailable right now.'));
      this.dispatchEvent(new CustomEvent('tollgate-error', { detail: String(error) }));
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  if (!customElements.get('tollgate-usage')) { customElements.define('tollgate-usage', TollgateUsage); }
})();
