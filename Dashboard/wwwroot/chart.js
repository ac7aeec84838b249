// Line charts as plain SVG strings. The dashboard must work offline in an incident room and nothing third-party can be fetched
// here, so the few things it needs (lines with gaps, a y axis that starts at zero, time labels) are drawn directly.

const width = 480;
const height = 150;
const left = 44;
const right = 8;
const top = 8;
const bottom = 20;

/** A round upper bound for the y axis: 1, 2 or 5 times a power of ten. */
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

function label(value) {
  if (value >= 1e6) return (value / 1e6).toFixed(value % 1e6 === 0 ? 0 : 1) + 'M';
  if (value >= 1e3) return (value / 1e3).toFixed(value % 1e3 === 0 ? 0 : 1) + 'k';
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 1 ? 2 : 1);
}

function clock(ms) {
  const d = new Date(ms);
  return d.toTimeString().slice(0, 8);
}

/**
 * lines: [{ name, color, points: [[timeMs, value|null], ...] }]; a null value or a gap of more than 3 s breaks the line.
 * Returns the chart's markup: legend and SVG.
 */
export function lineChart(title, unit, lines, windowMs) {
  const all = lines.flatMap(l => l.points.filter(p => p[1] !== null && p[1] !== undefined));
  const end = all.length ? Math.max(...all.map(p => p[0])) : Date.now();
  const first = all.length ? Math.min(...all.map(p => p[0])) : end;
  // A page opened a few seconds ago should not draw its first points as a sliver at the right edge: show at least a minute.
  const span = Math.min(windowMs, Math.max(60000, end - first));
  const start = end - span;
  const max = niceMax(Math.max(0, ...all.map(p => p[1])));
  const x = t => left + ((t - start) / span) * (width - left - right);
  const y = v => top + (1 - v / max) * (height - top - bottom);

  let svg = `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">`;
  for (const fraction of [0, 0.5, 1]) {
    const value = max * fraction;
    svg += `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(value)}" y2="${y(value)}"/>`;
    svg += `<text x="${left - 4}" y="${y(value) + 3}" text-anchor="end">${label(value)}</text>`;
  }
  svg += `<text x="${left}" y="${height - 5}">${clock(start)}</text>`;
  svg += `<text x="${width - right}" y="${height - 5}" text-anchor="end">${clock(end)}</text>`;

  for (const line of lines) {
    let path = '';
    let previous = null;
    for (const [t, v] of line.points) {
      if (t < start || v === null || v === undefined) { previous = null; continue; }
      path += (previous === null || t - previous > 3000 ? 'M' : 'L') + x(t).toFixed(1) + ',' + y(v).toFixed(1);
      previous = t;
    }
    if (path) svg += `<path d="${path}" fill="none" stroke="${line.color}" stroke-width="1.8" stroke-linejoin="round"/>`;
  }
  if (!all.length) {
    svg += `<text x="${(left + width) / 2}" y="${height / 2}" text-anchor="middle">no samples yet: charts fill in once a second while this page is open</text>`;
  }
  svg += '</svg>';

  const legend = lines.map(l => `<span><i style="background:${l.color}"></i>${l.name}</span>`).join('');
  return `<div class="chart"><h3>${title} <span class="muted">(${unit})</span></h3><div class="legend">${legend}</div>${svg}</div>`;
}
