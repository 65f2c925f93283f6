import { type CaseReport, findOrganisation, type MarkerKind, type ReportMarker } from '@warm-handover/domain';

/**
 * The case report as one self-contained, printable HTML page: a swim-lane chart (inline SVG) of
 * who was responsible and who led each chain over time, with escalations, notices and mismatches
 * marked, and then every event as a table. No scripts, fonts or images from elsewhere, so it
 * prints and renders to PDF without a network. People look at the chart before they read.
 */

/** Bar colours per organisation, in order of appearance; none is used for a marker. */
export const ORGANISATION_COLOURS = [
  '#1f77b4',
  '#9467bd',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
] as const;

const MARKERS: Readonly<Record<MarkerKind, { readonly colour: string; readonly label: string }>> = {
  escalation: { colour: '#d62728', label: 'Escalatie (met niveau)' },
  'contact-failed': { colour: '#6b4c00', label: 'Geen contact met het gezin' },
  'notice-sent': { colour: '#000000', label: 'Melding verstuurd' },
  'notice-failed': { colour: '#d62728', label: 'Melding niet bezorgd' },
  'notice-acknowledged': { colour: '#2ca02c', label: 'Melding bevestigd' },
  mismatch: { colour: '#ff7f0e', label: 'Regie in verschillende werkgebieden' },
};

const WIDTH = 1100;
const LABEL_WIDTH = 230;
const RIGHT = 20;
const AXIS_HEIGHT = 34;
const LANE_HEIGHT = 48;
const BAR_HEIGHT = 24;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** Tick steps from an hour to a year; the smallest that gives at most MAX_TICKS ticks is used. */
const TICK_STEPS = [
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  91 * DAY,
  365 * DAY,
];
const MAX_TICKS = 10;

const TIME_ZONE = 'Europe/Amsterdam';
const dateTime = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE,
  dateStyle: 'short',
  timeStyle: 'medium',
});
const tickWithTime = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE,
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const tickDate = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

export function renderCaseReportHtml(report: CaseReport): string {
  const colours = colourPerOrganisation(report);
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>Tijdlijn zaak ${esc(report.caseId)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Tijdlijn zaak ${esc(report.caseId)}</h1>
<p>Opgesteld ${esc(dateTime.format(new Date(report.generatedAt)))} (tijden in ${TIME_ZONE}) uit de vastgelegde gebeurtenissen.
De balken volgen de werkelijke tijd van elk feit, zoals de bevestigde start van de zorg; de tabel toont ook wanneer het werd vastgelegd.</p>
</header>
<section aria-label="Verantwoordelijkheid en regie in de tijd">
${chart(report, colours)}
${legend(colours)}
</section>
<section aria-label="Gebeurtenissen">
<h2>Gebeurtenissen</h2>
${table(report)}
</section>
</body>
</html>
`;
}

/** One colour per organisation, in the order they first appear (the web app's case page reuses it). */
export function colourPerOrganisation(report: CaseReport): Map<string, string> {
  const colours = new Map<string, string>();
  for (const lane of report.lanes) {
    for (const bar of lane.bars) {
      if (!colours.has(bar.organisation)) {
        colours.set(bar.organisation, ORGANISATION_COLOURS[colours.size % ORGANISATION_COLOURS.length]!);
      }
    }
  }
  return colours;
}

/** The swim-lane chart as inline SVG: presentation attributes only, so it passes a CSP without inline styles. */
export function chart(report: CaseReport, colours: ReadonlyMap<string, string>): string {
  const from = Date.parse(report.span.from);
  const until = Date.parse(report.span.until);
  const chartWidth = WIDTH - LABEL_WIDTH - RIGHT;
  const x = (iso: string) => LABEL_WIDTH + ((Date.parse(iso) - from) / Math.max(until - from, 1)) * chartWidth;
  const height = AXIS_HEIGHT + report.lanes.length * LANE_HEIGHT + 4;
  const parts: string[] = [];

  for (const tick of ticks(from, until)) {
    const tx = x(new Date(tick.at).toISOString());
    parts.push(
      `<line class="grid" x1="${n(tx)}" y1="${AXIS_HEIGHT - 6}" x2="${n(tx)}" y2="${height}"/>`,
      `<text class="tick" x="${n(tx)}" y="${AXIS_HEIGHT - 12}" text-anchor="middle">${esc(tick.label)}</text>`,
    );
  }

  report.lanes.forEach((lane, i) => {
    const top = AXIS_HEIGHT + i * LANE_HEIGHT;
    const barTop = top + (LANE_HEIGHT - BAR_HEIGHT) / 2;
    parts.push(
      `<g class="lane" data-lane="${lane.key}">`,
      `<rect class="lane-bg" x="0" y="${top}" width="${WIDTH}" height="${LANE_HEIGHT}"/>`,
      `<text class="lane-label" x="8" y="${top + LANE_HEIGHT / 2 + 4}">${esc(lane.label)}</text>`,
    );
    if (lane.bars.length === 0) {
      parts.push(
        `<text class="empty" x="${LABEL_WIDTH + 6}" y="${top + LANE_HEIGHT / 2 + 4}">geen regie vastgelegd</text>`,
      );
    }
    for (const bar of lane.bars) {
      const x1 = x(bar.from);
      const x2 = bar.until ? x(bar.until) : LABEL_WIDTH + chartWidth;
      const width = Math.max(x2 - x1, 2);
      const name = findOrganisation(bar.organisation)?.name ?? bar.organisation;
      const title = `${name}: ${bar.how}, vanaf ${dateTime.format(new Date(bar.from))}${bar.until ? ` tot ${dateTime.format(new Date(bar.until))}` : ', nog steeds'}`;
      parts.push(
        `<rect class="bar" data-organisation="${esc(bar.organisation)}" x="${n(x1)}" y="${barTop}" width="${n(width)}" height="${BAR_HEIGHT}" fill="${colours.get(bar.organisation)}"><title>${esc(title)}</title></rect>`,
      );
      // A name that does not fit its bar is left to the legend and the tooltip.
      if (width > name.length * 6.2 + 10) {
        parts.push(`<text class="bar-label" x="${n(x1 + 6)}" y="${barTop + BAR_HEIGHT / 2 + 4}">${esc(name)}</text>`);
      }
    }
    for (const marker of report.markers.filter((m) => m.lane === lane.key)) {
      parts.push(markerSymbol(marker, x(marker.at), top));
    }
    parts.push('</g>');
  });

  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Verantwoordelijkheid en regie per organisatie in de tijd">
${parts.join('\n')}
</svg>`;
}

/** Round ticks (whole UTC hours or days) inside the span, labelled with the date, and the time when steps are hours. */
function ticks(from: number, until: number): { at: number; label: string }[] {
  const step = TICK_STEPS.find((s) => (until - from) / s <= MAX_TICKS) ?? TICK_STEPS.at(-1)!;
  const format = step < DAY ? tickWithTime : tickDate;
  const result: { at: number; label: string }[] = [];
  for (let at = Math.ceil(from / step) * step; at <= until; at += step) {
    result.push({ at, label: format.format(new Date(at)) });
  }
  return result;
}

/** Escalations sit above the bar, notices below it, mismatches and contact failures on it. */
function markerSymbol(marker: ReportMarker, cx: number, laneTop: number): string {
  const { colour } = MARKERS[marker.kind];
  const title = `<title>${esc(`${dateTime.format(new Date(marker.at))}: ${marker.label}`)}</title>`;
  const above = laneTop + 7;
  const below = laneTop + LANE_HEIGHT - 7;
  const middle = laneTop + LANE_HEIGHT / 2;
  const attrs = `class="marker" data-kind="${marker.kind}"`;
  switch (marker.kind) {
    case 'escalation':
      return `<g ${attrs}><polygon points="${n(cx - 6)},${above + 5} ${n(cx + 6)},${above + 5} ${n(cx)},${above - 6}" fill="${colour}"/><text class="level" x="${n(cx + 8)}" y="${above + 4}">${marker.level ?? ''}</text>${title}</g>`;
    case 'notice-sent':
      return `<g ${attrs}><circle cx="${n(cx)}" cy="${below}" r="4" fill="${colour}"/>${title}</g>`;
    case 'notice-failed':
      return `<g ${attrs}><path d="M${n(cx - 4)} ${below - 4}l8 8m0 -8l-8 8" stroke="${colour}" stroke-width="2.5"/>${title}</g>`;
    case 'notice-acknowledged':
      return `<g ${attrs}><path d="M${n(cx - 5)} ${below}l3 4l7 -8" fill="none" stroke="${colour}" stroke-width="2.5"/>${title}</g>`;
    case 'mismatch':
      return `<g ${attrs}><polygon points="${n(cx)},${middle - 7} ${n(cx + 7)},${middle} ${n(cx)},${middle + 7} ${n(cx - 7)},${middle}" fill="${colour}" stroke="#fff"/>${title}</g>`;
    case 'contact-failed':
      return `<g ${attrs}><rect x="${n(cx - 5)}" y="${middle - 5}" width="10" height="10" fill="${colour}" stroke="#fff"/>${title}</g>`;
  }
}

function legend(colours: ReadonlyMap<string, string>): string {
  const organisations = [...colours].map(
    ([id, colour]) =>
      `<li><span class="swatch" style="background:${colour}"></span>${esc(findOrganisation(id)?.name ?? id)}</li>`,
  );
  const symbols = (Object.keys(MARKERS) as MarkerKind[]).map(
    (kind) =>
      `<li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">${legendSymbol(kind)}</svg>${esc(MARKERS[kind].label)}</li>`,
  );
  return `<div class="legend"><h2>Legenda</h2><ul>${organisations.join('')}</ul><ul>${symbols.join('')}</ul></div>`;
}

function legendSymbol(kind: MarkerKind): string {
  const { colour } = MARKERS[kind];
  switch (kind) {
    case 'escalation':
      return `<polygon points="3,14 15,14 9,3" fill="${colour}"/>`;
    case 'notice-sent':
      return `<circle cx="9" cy="9" r="4" fill="${colour}"/>`;
    case 'notice-failed':
      return `<path d="M5 5l8 8m0 -8l-8 8" stroke="${colour}" stroke-width="2.5"/>`;
    case 'notice-acknowledged':
      return `<path d="M4 9l3 4l7 -8" fill="none" stroke="${colour}" stroke-width="2.5"/>`;
    case 'mismatch':
      return `<polygon points="9,2 16,9 9,16 2,9" fill="${colour}"/>`;
    case 'contact-failed':
      return `<rect x="4" y="4" width="10" height="10" fill="${colour}"/>`;
  }
}

function table(report: CaseReport): string {
  const rows = report.rows.map(
    (r) =>
      `<tr><td>${r.position}</td><td>${esc(dateTime.format(new Date(r.effectiveAt)))}</td><td>${esc(dateTime.format(new Date(r.recordedAt)))}</td><td>${esc(r.type)}</td><td>${esc(r.actor.organisation)}<br><small>${esc(r.actor.role)} · ${esc(r.actor.subject)}</small></td><td>${esc(r.summary)}</td></tr>`,
  );
  return `<table>
<thead><tr><th>Nr.</th><th>Werkelijke tijd</th><th>Vastgelegd</th><th>Gebeurtenis</th><th>Door</th><th>Omschrijving</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function n(value: number): string {
  return value.toFixed(1);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
@page { size: A4 landscape; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 12px/1.4 system-ui, sans-serif; color: #111; margin: 16px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 14px; margin: 16px 0 6px; }
header p { margin: 0 0 12px; max-width: 900px; color: #333; }
.chart { display: block; width: 100%; max-width: ${WIDTH}px; height: auto; }
.chart .lane-bg { fill: #fafafa; stroke: #ddd; }
.chart .lane-label { font-weight: 600; font-size: 12px; }
.chart .grid { stroke: #e3e3e3; }
.chart .tick { font-size: 10px; fill: #555; }
.chart .bar-label { font-size: 11px; fill: #fff; pointer-events: none; }
.chart .level { font-size: 10px; font-weight: 700; fill: #d62728; }
.chart .empty { font-size: 11px; fill: #888; font-style: italic; }
.legend h2 { margin-top: 8px; }
.legend ul { list-style: none; padding: 0; margin: 0 0 4px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend .swatch { display: inline-block; width: 22px; height: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
small { color: #555; }
@media print {
  body { margin: 0; }
  section { break-inside: avoid-page; }
  section + section { break-inside: auto; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
