// archive serve: search as you type, copy buttons and keyboard navigation. The pages work
// without this script; it only saves clicks. No framework, no build step.
(() => {
  'use strict';

  const form = document.getElementById('search-form');
  const box = document.getElementById('q');
  const announce = document.getElementById('announce');

  // Search as you type: the results element is fetched from /results and swapped in, and the
  // address follows, so the view can still be copied, reloaded or sent.
  const WAIT_MS = 150;
  let timer = 0;
  let inFlight = null;

  function viewParameters() {
    const parameters = new URLSearchParams(new FormData(form));
    for (const [name, value] of [...parameters]) {
      if (value === '') parameters.delete(name);
    }
    return parameters;
  }

  async function update() {
    const results = document.getElementById('results');
    if (!results) return;
    const parameters = viewParameters();
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    let html;
    try {
      const response = await fetch('/results?' + parameters, { signal: inFlight.signal });
      html = await response.text();
    } catch (error) {
      if (error.name !== 'AbortError') announce.textContent = 'The search could not be updated.';
      return;
    }
    const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('results');
    if (!fresh) return;
    results.replaceWith(fresh);
    const query = parameters.toString();
    history.replaceState(null, '', query ? '/?' + query : '/');
    const title = fresh.dataset.title || 'Search';
    document.title = title + ' · archive';
    announce.textContent = title;
  }

  if (form && box && document.getElementById('results')) {
    box.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(update, WAIT_MS);
    });
  }

  // Copy buttons: the text of the element the button names goes to the clipboard.
  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (error) {
        // Fall back on the older way below.
      }
    }
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    let done = false;
    try {
      done = document.execCommand('copy');
    } catch (error) {
      done = false;
    }
    area.remove();
    return done;
  }

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-copy]');
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copy + '-status');
    if (!source) return;
    const text = source.textContent.trim();
    const done = await copy(text);
    button.dataset.copied = done ? text : '';
    if (status) status.textContent = done ? 'Copied.' : 'Select the line and copy it (Ctrl+C).';
  });

  // Keyboard: "/" goes to the search box; arrows move between cards; Enter opens one (it is
  // a link); Escape leaves the search box for the results.
  function typing(target) {
    return target.closest('input, textarea, select, [contenteditable="true"]') !== null;
  }

  function cards() {
    return [...document.querySelectorAll('.card-link')];
  }

  function columns(all) {
    if (all.length === 0) return 1;
    const top = all[0].getBoundingClientRect().top;
    const first = all.findIndex((card) => card.getBoundingClientRect().top > top + 1);
    return first === -1 ? all.length : first;
  }

  function neighbour(all, index, key) {
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns(all), ArrowDown: columns(all) }[key];
    const next = index + step;
    return next >= 0 && next < all.length ? all[next] : null;
  }

  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === '/' && box && !typing(event.target)) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    const all = cards();
    if (event.target === box && (event.key === 'ArrowDown' || event.key === 'Escape') && all.length) {
      event.preventDefault();
      all[0].focus();
      return;
    }
    const index = all.indexOf(document.activeElement);
    if (index === -1 || !event.key.startsWith('Arrow')) return;
    const next = neighbour(all, index, event.key);
    event.preventDefault();
    if (next) {
      next.focus();
      next.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'ArrowUp' && box) {
      box.focus();
    }
  });
})();
