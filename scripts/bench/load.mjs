// Load generator, run as a second process (forked with IPC): on `{ type: 'run', targets,
// durationMs, concurrency, maxRequests }` it sends requests from `concurrency` loops, round-robin
// over the targets, until the time is up or maxRequests were sent, and answers with the counts.
// Keep-alive through undici's global pool, as any Node client would.
import { installCleanup } from './lib/processes.mjs';
import { quantile, round } from './lib/stats.mjs';

installCleanup();

async function run({ targets, durationMs, concurrency, maxRequests }) {
  const statuses = {};
  let sent = 0;
  let errors = 0;
  let firstError;
  const latencies = [];
  const deadline = performance.now() + durationMs;
  const loop = async () => {
    while (performance.now() < deadline && sent < maxRequests) {
      const target = targets[sent++ % targets.length];
      const t0 = performance.now();
      try {
        const response = await fetch(target.url, { headers: target.headers });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= String(error?.cause?.message ?? error?.message ?? error);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedMs = performance.now() - started;
  const ok = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 200 && Number(status) < 300)
    .reduce((total, [, count]) => total + count, 0);
  return {
    requests: sent,
    ok,
    errors,
    firstError,
    statuses,
    elapsedMs: Math.round(elapsedMs),
    requestsPerSecond: round((ok / elapsedMs) * 1000, 4),
    p50Ms: round(quantile(latencies, 0.5), 3),
    p99Ms: round(quantile(latencies, 0.99), 3),
  };
}

process.on('message', (message) => {
  if (message?.type !== 'run') return;
  run(message).then(
    (result) => process.send({ type: 'result', result }),
    (error) => process.send({ type: 'error', message: String(error?.message ?? error) }),
  );
});
process.send({ ready: true });
