// Backlog and rate graphs with uPlot (served from its webjar in Ferry's jar).
import uPlot from '../vendor/uPlot.esm.js';
import { h } from '../dom.js';

/** A chart of series over the history's timestamps, across the last windowSeconds, sized to its container. */
export function chart(container, title, labels, history, values, windowSeconds = 3600) {
  const points = history.points;
  const data = [points.map(p => p.timestamp_ms / 1000), ...values.map(value => points.map(value))];
  const width = Math.max(280, container.clientWidth || 600);
  const colors = ['#1f6feb', '#d9480f', '#2b8a3e'];
  const plot = new uPlot({
    title, width, height: 200,
    series: [{}, ...labels.map((label, i) => ({ label, stroke: colors[i % colors.length], width: 2 }))],
    axes: [{}, { size: 60 }],
    // The whole window, also while the server has recorded only a few points.
    scales: { x: { time: true, range: () => [Date.now() / 1000 - windowSeconds, Date.now() / 1000] } },
  }, data, container);
  return plot;
}

export function noData(text) {
  return h('p', { class: 'muted no-data' }, text);
}
