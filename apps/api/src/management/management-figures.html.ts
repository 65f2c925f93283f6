import { findOrganisation } from '@warm-handover/domain';
import { AGE_BUCKETS, type ManagementFigures, type TermShare } from '@warm-handover/persistence';

/**
 * The management figures as one printable, self-contained page (Dutch; inline SVG, inline
 * style only, no scripts), in the strict CSP of the API like the case report.
 */
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10} %`);
const date = (iso: string) =>
  new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long' }).format(new Date(iso));

const STYLE = `
body{font-family:system-ui,sans-serif;margin:24px;color:#111}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
p.meta{color:#444;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}
.ok{color:#1a7f37}.bad{color:#b42318}
svg{display:block;margin:4px 0 12px}
@media print{body{margin:8mm}h2{break-after:avoid}}
`;

/** A horizontal bar of the share on time with the norm as a line. */
function shareChart(label: string, t: TermShare): string {
  const w = 420;
  const share = t.share ?? 0;
  const colour = t.meetsNorm === false ? '#b42318' : '#1a7f37';
  return `<svg role="img" aria-label="${esc(label)}: ${pct(t.share)} binnen de termijn, norm ${pct(t.norm)}" width="${w + 60}" height="46" viewBox="0 0 ${w + 60} 46">
<rect x="0" y="8" width="${w}" height="22" fill="#eee"/>
<rect x="0" y="8" width="${Math.round(w * share)}" height="22" fill="${colour}"/>
<line x1="${Math.round(w * t.norm)}" y1="2" x2="${Math.round(w * t.norm)}" y2="36" stroke="#111" stroke-width="2"/>
<text x="${Math.round(w * t.norm) + 4}" y="44" font-size="11">norm ${pct(t.norm)}</text>
<text x="${w + 6}" y="24" font-size="13">${pct(t.share)}</text>
</svg>`;
}

/** Vertical bars of counts with labels. */
function barChart(label: string, bars: readonly { label: string; value: number }[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const bw = 56;
  const h = 120;
  const body = bars
    .map((b, i) => {
      const bh = Math.round((h * b.value) / max);
      const x = 10 + i * (bw + 14);
      return `<rect x="${x}" y="${h - bh + 10}" width="${bw}" height="${bh}" fill="#1f77b4"/>
<text x="${x + bw / 2}" y="${h - bh + 6}" font-size="12" text-anchor="middle">${b.value}</text>
<text x="${x + bw / 2}" y="${h + 26}" font-size="11" text-anchor="middle">${esc(b.label)}</text>`;
    })
    .join('\n');
  return `<svg role="img" aria-label="${esc(label)}" width="${20 + bars.length * (bw + 14)}" height="${h + 34}">${body}</svg>`;
}

function termRow(label: string, t: TermShare): string {
  const verdict =
    t.meetsNorm === null
      ? '—'
      : t.meetsNorm
        ? '<span class="ok">voldoet</span>'
        : '<span class="bad">voldoet niet</span>';
  return `<tr><td>${label}</td><td>${t.due}</td><td>${t.onTime}</td><td>${t.late}</td><td>${pct(t.share)}</td><td>${pct(t.norm)}</td><td>${verdict}</td></tr>`;
}

export function renderManagementFiguresHtml(f: ManagementFigures): string {
  const scopeId = 'region' in f.scope ? f.scope.region : f.scope.municipality;
  const scopeName = findOrganisation(scopeId)?.name ?? scopeId;
  const levels = ['medewerker', 'teamleider', 'manager', 'bestuurder'];
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>Managementinformatie ${esc(scopeName)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Managementinformatie ${esc(scopeName)}</h1>
<p class="meta">Periode ${esc(date(f.from))} tot ${esc(date(f.to))}; openstaande zaken per ${esc(date(f.at))}.</p>
<h2>Wettelijke termijnen</h2>
<table><thead><tr><th></th><th>verlopen</th><th>op tijd</th><th>te laat</th><th>aandeel op tijd</th><th>landelijke norm</th><th></th></tr></thead>
<tbody>${termRow('Veiligheidsbeoordeling binnen 5 werkdagen', f.safetyAssessments)}${termRow('Onderzoek binnen 10 weken', f.investigations)}</tbody></table>
${shareChart('Veiligheidsbeoordelingen', f.safetyAssessments)}
${shareChart('Onderzoeken', f.investigations)}
<h2>Openstaande overdrachten: ${f.openHandovers.total}</h2>
${barChart(
  'Openstaande overdrachten naar leeftijd in dagen',
  AGE_BUCKETS.map((b) => ({ label: `${b} dagen`, value: f.openHandovers.byAge[b] })),
)}
${barChart(
  'Openstaande overdrachten naar escalatieniveau',
  f.openHandovers.byLevel.map((value, i) => ({ label: levels[i]!, value })),
)}
<h2>Overige signalen</h2>
<table><tbody>
<tr><td>Afgewezen of ingetrokken overdrachten zonder besluit</td><td>${f.rejectedAwaitingDecision}</td></tr>
<tr><td>Monitoringsmomenten in de periode</td><td>${f.monitoringMoments.total}</td></tr>
<tr><td>Monitoringsmomenten gemist (geen resultaat op tijd)</td><td>${f.monitoringMoments.missed}</td></tr>
<tr><td>Veiligheidsafspraken niet nagekomen</td><td>${f.monitoringMoments.notKept}</td></tr>
<tr><td>Regie-onderhandelingen zonder uitkomst</td><td>${f.leadNegotiationsUnresolved}</td></tr>
<tr><td>Regie in verschillende werkgebieden</td><td>${f.mismatches}</td></tr>
</tbody></table>
</body>
</html>`;
}
