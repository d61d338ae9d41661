// The `aicredits serve` part of BENCHMARKS.md and its target (scripts/bench/serve.mjs).
import { formatBytes, formatNumber } from './stats.mjs';

export const serveP99TargetMs = 50;

export function serveTargets(serve) {
  const largest = serve?.rows.at(-1);
  if (largest === undefined) return [];
  const worst = Math.max(largest.metrics.p99Ms, largest.metricsIdentity?.p99Ms ?? 0, largest.balances.p99Ms);
  return [
    {
      id: 'serveP99',
      target: `aicredits serve: GET /metrics and /api/balances p99 ≤ ${serveP99TargetMs} ms at ${formatNumber(largest.accounts)} accounts`,
      measured: `/metrics ${largest.metrics.p99Ms} ms gzip, ${largest.metricsIdentity?.p99Ms} ms uncompressed, /api/balances ${largest.balances.p99Ms} ms (GET /healthz on the same server: ${largest.healthz.p99Ms} ms)`,
      value: worst,
      met: worst <= serveP99TargetMs,
    },
  ];
}

export function renderServe(serve, table) {
  if (serve === undefined) return '';
  const dashboard = serve.dashboard
    .map((row) => `${formatNumber(row.accounts)} accounts: ${row.p50Ms} ms (p50 of ${row.loads}, max ${row.maxMs} ms)`)
    .join('; ');
  return `## aicredits serve

\`scripts/bench/serve.mjs\`: \`createServe\` from the built \`@aicredits/monitor\` in its own process (\`serve-target.mjs\`) with N accounts, a real SQLite history, and a facade stub that answers at once, polling every minute. The history starts with each account's reading of a minute before, so serve is ready at once and its first round (every account polled once, spread over a 30 s jitter) runs while the requests do: readings keep changing during the measurement (polls/s below, counted by the target). The HTTP server runs on its own thread, fed each account's new state by the watcher's thread. Requests are sequential and interleaved (/metrics with gzip as Prometheus asks and uncompressed, /api/balances with gzip as a browser asks, /healthz), over node:http, timed to the last byte without decompressing; /healthz on the same server is the HTTP floor. Sizes are the bytes sent.

${table(
  [
    'accounts',
    'requests each',
    '/metrics p50',
    '/metrics p99',
    'vs /healthz p99',
    '/metrics size',
    'uncompressed p50',
    'uncompressed p99',
    'uncompressed size',
    '/api/balances p50',
    '/api/balances p99',
    'vs /healthz p99',
    '/api/balances size',
    '/healthz p99',
    'polls/s',
    'RSS',
  ],
  serve.rows.map((row) => [
    formatNumber(row.accounts),
    row.requests,
    `${row.metrics.p50Ms} ms`,
    `${row.metrics.p99Ms} ms`,
    `${row.metrics.p99VsHealthz}×`,
    formatBytes(row.metrics.bytes),
    `${row.metricsIdentity.p50Ms} ms`,
    `${row.metricsIdentity.p99Ms} ms`,
    formatBytes(row.metricsIdentity.bytes),
    `${row.balances.p50Ms} ms`,
    `${row.balances.p99Ms} ms`,
    `${row.balances.p99VsHealthz}×`,
    formatBytes(row.balances.bytes),
    `${row.healthz.p99Ms} ms`,
    row.pollsPerSecond === undefined ? '' : formatNumber(row.pollsPerSecond),
    formatBytes(row.rssBytes),
  ]),
)}

Each account's metric lines are written when its state changes and kept in blocks of 32 accounts, encoded and deflated once; each family's blocks are joined into one chunk until one of them changes: a request writes a few dozen cached chunks and re-encodes the few blocks that changed since. Writing every account's lines against prom-client's own way (a \`Gauge\` per family, \`set()\` per series, \`registry.metrics()\`) for the same series, in one process, every account changed before each render (the cache's worst case):

${table(
  ['accounts', 'series', 'ours p50', 'prom-client Gauges p50', 'ratio'],
  serve.renderer.map((row) => [
    formatNumber(row.accounts),
    formatNumber(row.series),
    `${row.oursP50Ms} ms`,
    `${row.promClientGaugesP50Ms} ms`,
    `${row.ratio}×`,
  ]),
)}

Dashboard in headless Chromium (${serve.chromium}), from navigation until every account's card and the history chart are drawn, after one warm-up load: ${dashboard || 'not measured'}${serve.dashboardRatio1000vs100 === undefined ? '' : `; 1,000 accounts take ${serve.dashboardRatio1000vs100}× as long as 100`}.
`;
}
