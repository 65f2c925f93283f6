import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The web app's own style: layout only. Colours, type and spacing come from the design tokens
 * (custom properties of NL Design System), so an organisation's token file restyles it.
 */
export const APP_CSS = `
.wh-header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.75rem 1.5rem;
  border-block-end: 4px solid var(--utrecht-color-red-40, #e5101d); }
.wh-brand { font-weight: 700; margin: 0; }
.wh-nav { display: flex; gap: 1.25rem; list-style: none; margin: 0; padding: 0; }
.wh-who { margin: 0 0 0 auto; }
.wh-inline { display: inline; }
.wh-main { display: block; padding: 1rem 1.5rem 2rem; max-inline-size: 80rem; }
.wh-footer { padding: 1rem 1.5rem; border-block-start: 1px solid var(--utrecht-color-grey-80, #ccc); }
.wh-form { display: grid; gap: 0.75rem; max-inline-size: 36rem; margin-block-end: 1.5rem; }
.wh-search { max-inline-size: 60rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); align-items: end; }
.wh-action { display: inline-grid; gap: 0.5rem; margin: 0 1rem 0.75rem 0; vertical-align: top; }
.wh-actions { margin-block-start: 0.5rem; }
.wh-handover { border: 1px solid var(--utrecht-color-grey-80, #ccc); padding: 0.75rem 1rem; margin-block-end: 1rem; }
.wh-facts { margin: 0; }
.wh-late td { background: var(--utrecht-color-red-90, #fde8e9); }
.wh-live { font-style: italic; }
.wh-chart { overflow-x: auto; }
.wh-chart svg { display: block; max-inline-size: 100%; block-size: auto; }
.wh-chart .lane-bg { fill: #fafafa; stroke: #ddd; }
.wh-chart .lane-label { font-weight: 600; font-size: 12px; }
.wh-chart .grid { stroke: #e3e3e3; }
.wh-chart .tick { font-size: 10px; fill: #555; }
.wh-chart .bar-label { font-size: 11px; fill: #fff; }
.wh-chart .level { font-size: 10px; font-weight: 700; fill: #d62728; }
.wh-chart .empty { font-size: 11px; fill: #595959; font-style: italic; }
.wh-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; list-style: none; padding: 0; }
.wh-moment { margin-block-end: 1.5rem; }
.wh-moment summary { cursor: pointer; }
.utrecht-table { margin-block-end: 1.5rem; }
.wh-main section { margin-block-start: 2rem; }
.wh-main .utrecht-heading-1 { margin-block: 1rem 0.75rem; }
.wh-main .utrecht-heading-2 { margin-block: 0 0.75rem; }
.wh-main .utrecht-heading-3 { margin-block: 0 0.5rem; }
.wh-main .utrecht-paragraph { margin-block: 0 0.75rem; }
.wh-main .utrecht-alert { margin-block-end: 1rem; }
:focus-visible { outline: 3px solid var(--utrecht-focus-outline-color, #000); outline-offset: 2px; }
.utrecht-skip-link--visible-on-focus:not(:focus) { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); }
`;

/**
 * The live update of "Mijn werk" (server-sent events): on "changed" it fetches the list again
 * and swaps it in; while focus is inside the list it waits, so a keyboard user does not lose
 * their place. Without JavaScript the page still shows the list as of its last load.
 */
export const APP_JS = `(function () {
  'use strict';
  var list = document.getElementById('werklijst');
  if (!list || !window.EventSource || !window.fetch) return;
  var status = document.getElementById('live-status');
  var pending = false;
  var busy = false;
  function say(text) { if (status) status.textContent = text; }
  function refresh() {
    if (list.contains(document.activeElement)) { pending = true; say('Er is iets veranderd; de lijst wordt bijgewerkt zodra u de lijst verlaat.'); return; }
    if (busy) { pending = true; return; }
    busy = true;
    fetch(list.getAttribute('data-bron'), { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
      .then(function (html) {
        list.innerHTML = html;
        say('De lijst is bijgewerkt om ' + new Date().toLocaleTimeString('nl-NL', { timeZone: 'Europe/Amsterdam' }) + '.');
      })
      .catch(function () { say('Bijwerken lukte niet; herlaad de pagina.'); })
      .then(function () { busy = false; if (pending) { pending = false; refresh(); } });
  }
  list.addEventListener('focusout', function () { if (pending) setTimeout(function () { if (pending && !list.contains(document.activeElement)) { pending = false; refresh(); } }, 0); });
  // From the store position the page was rendered from: nothing appended in between is missed.
  var since = list.getAttribute('data-sinds');
  var source = new EventSource('/app/werk/live' + (since ? '?sinds=' + encodeURIComponent(since) : ''));
  source.addEventListener('changed', refresh);
})();
`;

export interface Asset {
  readonly body: string;
  readonly type: string;
  readonly etag: string;
}

function asset(body: string, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** A file of an installed package, found through its package.json (the packages have no exports map). */
function packageFile(pkg: string, file: string): string {
  return readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file), 'utf8');
}

/**
 * The assets the pages load, all from this app (the CSP allows only 'self'): the design tokens
 * (`themeCss`: a token CSS file whose rules apply under `.utrecht-theme`; the Utrecht tokens when
 * not given), the NL Design System component CSS, and the app's own CSS and script.
 */
export function loadAssets(themeCss?: string): ReadonlyMap<string, Asset> {
  const tokens = themeCss ? readFileSync(themeCss, 'utf8') : packageFile('@utrecht/design-tokens', 'dist/theme.css');
  return new Map([
    ['tokens.css', asset(tokens, 'text/css')],
    ['components.css', asset(packageFile('@utrecht/component-library-css', 'dist/index.css'), 'text/css')],
    ['app.css', asset(APP_CSS, 'text/css')],
    ['app.js', asset(APP_JS, 'text/javascript')],
  ]);
}
