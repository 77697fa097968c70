/**
 * The VM Config list page's script (served as /vm-config/app.js; the CSP allows no inline code).
 * Every value from the API is put in the page with textContent, never as HTML. Views by hash:
 * #/ (list), #/changed (changed in the last N days), #/node/<name>, #/node/<name>/history.
 */
export const PAGE_SCRIPT = String.raw`'use strict';
(function () {
  var API = '/v1/vm-config';
  var main = document.getElementById('main');
  var state = { view: 'list', sorts: { list: 'node', changed: '-updated_at' }, cursors: [null], page: 0 };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key];
      else if (key === 'onclick') node.addEventListener('click', attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function clear() { while (main.firstChild) main.removeChild(main.firstChild); }
  function show(nodes) { clear(); nodes.forEach(function (n) { main.appendChild(n); }); }
  function token() { return sessionStorage.getItem('vmconfig-token') || ''; }

  function api(path) {
    var headers = token() ? { Authorization: 'Bearer ' + token() } : {};
    return fetch(API + path, { headers: headers }).then(function (res) {
      return res.json().then(function (body) {
        if (res.status === 401) { askToken(body.message); throw new Error('unauthorized'); }
        if (!res.ok) throw new Error(body.message || ('HTTP ' + res.status));
        return body;
      });
    });
  }
  function failed(error) {
    if (error.message !== 'unauthorized') show([el('p', { class: 'error', role: 'alert', text: error.message })]);
  }
  function askToken(message) {
    var input = el('input', { type: 'password', id: 'token', 'aria-label': 'API token', autocomplete: 'off' });
    var form = el('form', { id: 'token-form' }, [el('p', { text: message }), input, el('button', { type: 'submit', text: 'Use token' })]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      sessionStorage.setItem('vmconfig-token', input.value);
      route();
    });
    show([form]);
  }

  function listView(changedView) {
    var view = changedView ? 'changed' : 'list';
    if (state.view !== view) { state.view = view; state.cursors = [null]; state.page = 0; }
    var params = new URLSearchParams(location.hash.split('?')[1] || '');
    var fields = [['q', 'Search'], ['os', 'OS'], ['kernel', 'Kernel'], ['package', 'Package (name or name@version)'], ['fact', 'Fact (path=value or path~value)']];
    if (changedView) fields.push(['changed_within_days', 'Changed in the last N days']);
    var inputs = {};
    var form = el('form', { id: 'filters', role: 'search' }, fields.map(function (f) {
      inputs[f[0]] = el('input', { name: f[0], id: 'filter-' + f[0], value: params.get(f[0]) || (f[0] === 'changed_within_days' ? '7' : '') });
      return el('label', {}, [document.createTextNode(f[1] + ' '), inputs[f[0]]]);
    }).concat([el('button', { type: 'submit', text: 'Search' })]));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var next = new URLSearchParams();
      Object.keys(inputs).forEach(function (k) { if (inputs[k].value) next.set(k, inputs[k].value); });
      state.cursors = [null]; state.page = 0;
      location.hash = (changedView ? '#/changed?' : '#/?') + next.toString();
    });
    if (changedView && !params.get('changed_within_days')) params.set('changed_within_days', '7');
    var query = new URLSearchParams(params);
    query.set('sort', state.sorts[view]);
    query.set('limit', '50');
    var cursor = state.cursors[state.page];
    if (cursor) query.set('cursor', cursor);
    var status = el('p', { id: 'status', text: 'Loading…' });
    show([el('h2', { text: changedView ? 'Changed recently' : 'VMs' }), form, status]);
    api('/nodes?' + query.toString()).then(function (page) {
      var columns = [['node', 'Node'], ['os', 'OS'], ['osVersion', 'Version'], ['kernel', 'Kernel'], ['updatedAt', 'Updated']];
      var sortKeys = { node: 'node', os: 'os', kernel: 'kernel', updatedAt: 'updated_at' };
      var head = el('tr', {}, columns.map(function (c) {
        var key = sortKeys[c[0]];
        if (!key) return el('th', { text: c[1] });
        var mark = state.sorts[view] === key ? ' ▲' : state.sorts[view] === '-' + key ? ' ▼' : '';
        return el('th', {}, [el('button', { class: 'sort', 'data-sort': key, text: c[1] + mark, onclick: function () {
          state.sorts[view] = state.sorts[view] === key ? '-' + key : key; state.cursors = [null]; state.page = 0; route();
        } })]);
      }));
      var rows = page.items.map(function (item) {
        return el('tr', { class: 'node-row' }, columns.map(function (c) {
          if (c[0] === 'node') return el('td', {}, [el('a', { href: '#/node/' + encodeURIComponent(item.node), text: item.node })]);
          return el('td', { text: String(item[c[0]]) });
        }));
      });
      var table = el('table', { id: 'nodes' }, [el('thead', {}, [head]), el('tbody', {}, rows)]);
      var prev = el('button', { id: 'prev', text: '← Previous', onclick: function () { state.page -= 1; route(); } });
      var next = el('button', { id: 'next', text: 'Next →', onclick: function () { state.cursors[state.page + 1] = page.nextCursor; state.page += 1; route(); } });
      if (state.page === 0) prev.disabled = true;
      if (!page.nextCursor) next.disabled = true;
      status.textContent = page.items.length + ' nodes on page ' + (state.page + 1);
      main.appendChild(table);
      main.appendChild(el('nav', { class: 'pager' }, [prev, next]));
    }).catch(failed);
  }

  function factTree(value, path) {
    if (value === null || typeof value !== 'object') {
      var copy = el('button', { class: 'copy', title: 'Copy path', text: 'copy path', 'data-path': path, onclick: function () {
        if (navigator.clipboard) navigator.clipboard.writeText(path).catch(function () {});
        document.getElementById('copied').textContent = path;
      } });
      return el('span', { class: 'leaf' }, [el('code', { class: 'value', text: JSON.stringify(value) }), copy]);
    }
    var keys = Object.keys(value);
    var list = el('ul', {}, keys.map(function (key) {
      var childPath = path ? path + '.' + key : key;
      var child = value[key];
      if (child !== null && typeof child === 'object' && Object.keys(child).length > 0) {
        return el('li', {}, [el('details', { 'data-path': childPath }, [el('summary', { text: key }), factTree(child, childPath)])]);
      }
      return el('li', { 'data-path': childPath }, [el('span', { class: 'key', text: key + ': ' }), factTree(child, childPath)]);
    }));
    return list;
  }

  function nodeView(name) {
    show([el('p', { text: 'Loading…' })]);
    api('/nodes/' + encodeURIComponent(name)).then(function (node) {
      show([
        el('h2', { id: 'node-name', text: node.node }),
        el('p', { text: node.os + ' ' + node.osVersion + ' · kernel ' + node.kernel + ' · version ' + node.version + ' · updated ' + node.updatedAt }),
        el('p', {}, [el('a', { id: 'history-link', href: '#/node/' + encodeURIComponent(node.node) + '/history', text: 'History and diff' })]),
        el('p', { class: 'copied' }, [document.createTextNode('Copied path: '), el('code', { id: 'copied' })]),
        el('div', { id: 'facts' }, [factTree(node.facts, '')]),
      ]);
    }).catch(failed);
  }

  function historyView(name) {
    show([el('p', { text: 'Loading…' })]);
    api('/nodes/' + encodeURIComponent(name) + '/history?limit=500').then(function (history) {
      var rows = history.versions.map(function (v, i) {
        return el('tr', { class: 'version-row' }, [
          el('td', {}, [el('input', { type: 'radio', name: 'from', value: String(v.version), 'aria-label': 'from version ' + v.version })]),
          el('td', {}, [el('input', { type: 'radio', name: 'to', value: String(v.version), 'aria-label': 'to version ' + v.version })]),
          el('td', { text: String(v.version) }), el('td', { text: v.collectedAt }), el('td', { text: v.changed.join(', ') }),
        ]);
      });
      var result = el('div', { id: 'diff' });
      var button = el('button', { id: 'show-diff', text: 'Show diff', onclick: function () {
        var from = document.querySelector('input[name=from]:checked');
        var to = document.querySelector('input[name=to]:checked');
        if (!from || !to) { result.textContent = 'Choose a from and a to version.'; return; }
        api('/nodes/' + encodeURIComponent(name) + '/diff?from=' + from.value + '&to=' + to.value).then(function (diff) {
          while (result.firstChild) result.removeChild(result.firstChild);
          result.appendChild(el('p', { id: 'diff-summary', text: diff.changes.length + ' changes from version ' + diff.from + ' to ' + diff.to }));
          result.appendChild(el('table', { id: 'diff-table' }, [el('tbody', {}, diff.changes.map(function (c) {
            return el('tr', { class: 'change ' + c.kind }, [el('td', { class: 'path', text: c.path }), el('td', { text: c.kind }),
              el('td', { class: 'before', text: c.before === undefined ? '' : JSON.stringify(c.before) }),
              el('td', { class: 'after', text: c.after === undefined ? '' : JSON.stringify(c.after) })]);
          }))]));
        }).catch(failed);
      } });
      show([
        el('h2', { text: 'History of ' + name }),
        el('p', {}, [el('a', { href: '#/node/' + encodeURIComponent(name), text: 'Current facts' })]),
        el('table', { id: 'versions' }, [el('thead', {}, [el('tr', {}, ['From', 'To', 'Version', 'Collected', 'Changed sections'].map(function (t) { return el('th', { text: t }); }))]), el('tbody', {}, rows)]),
        button, result,
      ]);
      var radios = document.querySelectorAll('#versions input');
      if (history.versions.length > 1) { radios[2].checked = true; radios[1].checked = true; }
    }).catch(failed);
  }

  function route() {
    var hash = location.hash || '#/';
    var path = hash.slice(1).split('?')[0];
    var match = /^\/node\/([^/]+)(\/history)?$/.exec(path);
    if (match) return match[2] ? historyView(decodeURIComponent(match[1])) : nodeView(decodeURIComponent(match[1]));
    listView(path === '/changed');
  }
  window.addEventListener('hashchange', route);
  route();
})();
`;
