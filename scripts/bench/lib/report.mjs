// Targets and the BENCHMARKS.md text, both computed from one run's results.
import { renderServe, serveTargets } from './serve-report.mjs';
import { formatBytes, formatNumber, medianInterval, round } from './stats.mjs';

export const targets = {
  loopbackVsRawFetch: 1.1,
  // Issue 11's target: what the client adds to the openapi-fetch it is built on.
  loopbackVsOpenapiFetch: 1.1,
  stubVsOpenapiFetch: 1.5,
  heapGrowthBytes: 1024 * 1024,
};

const rowsOf = (overhead, transport, role) => overhead?.[transport]?.rows.filter((row) => row.role === role) ?? [];
const worst = (rows, key) =>
  rows.reduce((found, row) => (found === undefined || row[key] > found[key] ? row : found), undefined);

export function evaluateTargets(results) {
  const list = [];
  const { overhead, fanout } = results;
  if (overhead !== undefined) {
    // Over loopback the aicredits method sends through its default transport on Node (node:http),
    // the baselines through Node's fetch (undici): the rows say so, and give the method through
    // undici too (`fetch: globalThis.fetch`), so that transport and layer can be told apart.
    const subjectText = 'aicredits client method (validation on, default transport: node:http on Node) over loopback';
    const perProvider = (rows, key) => rows.map((row) => `${row.provider} ${row[key]}×`).join(', ');
    const viaFetch = rowsOf(overhead, 'loopback', 'aicredits-fetch');
    const viaFetchText = (key) =>
      viaFetch.length === 0
        ? ''
        : `; the same method through undici (\`fetch: globalThis.fetch\`): ${perProvider(viaFetch, key)}`;
    const loopback = worst(rowsOf(overhead, 'loopback', 'aicredits-on'), 'p50VsFloor');
    list.push({
      id: 'loopbackVsRawFetch',
      target: `${subjectText} within ${targets.loopbackVsRawFetch}× raw \`fetch\` (undici) + JSON.parse (p50 latency, every provider)`,
      measured: `${loopback.p50VsFloor}× (worst: ${loopback.provider}; ${perProvider(rowsOf(overhead, 'loopback', 'aicredits-on'), 'p50VsFloor')}${viaFetchText('p50VsFloor')})`,
      value: loopback.p50VsFloor,
      met: loopback.p50VsFloor <= targets.loopbackVsRawFetch,
    });
    const overBare = worst(rowsOf(overhead, 'loopback', 'aicredits-on'), 'p50VsOpenapiFetch');
    list.push({
      id: 'loopbackVsOpenapiFetch',
      target: `${subjectText} within ${targets.loopbackVsOpenapiFetch}× bare openapi-fetch over Node's \`fetch\` (undici) (p50 latency, every provider)`,
      measured: `${overBare.p50VsOpenapiFetch}× (worst: ${overBare.provider}; ${perProvider(rowsOf(overhead, 'loopback', 'aicredits-on'), 'p50VsOpenapiFetch')}${viaFetchText('p50VsOpenapiFetch')})`,
      value: overBare.p50VsOpenapiFetch,
      met: overBare.p50VsOpenapiFetch <= targets.loopbackVsOpenapiFetch,
    });
    const stub = worst(rowsOf(overhead, 'stubbed', 'aicredits-on'), 'p50VsOpenapiFetch');
    list.push({
      id: 'stubVsOpenapiFetch',
      target: `aicredits client method (validation on) with a stubbed fetch within ${targets.stubVsOpenapiFetch}× bare openapi-fetch (p50 latency, every provider)`,
      measured: `${stub.p50VsOpenapiFetch}× (worst: ${stub.provider}; ${rowsOf(overhead, 'stubbed', 'aicredits-on')
        .map((row) => `${row.provider} ${row.p50VsOpenapiFetch}×`)
        .join(', ')})`,
      value: stub.p50VsOpenapiFetch,
      met: stub.p50VsOpenapiFetch <= targets.stubVsOpenapiFetch,
    });
  }
  if (fanout !== undefined) {
    const { growthBytes, accounts, heapUsedAfterGcBytes } = fanout.memoryRounds;
    list.push({
      id: 'heapGrowth',
      target: `no memory growth over ${heapUsedAfterGcBytes.length} rounds of ${accounts} accounts (heap used after GC, last − first < ${formatBytes(targets.heapGrowthBytes)})`,
      measured: `${growthBytes >= 0 ? '+' : '−'}${formatBytes(Math.abs(growthBytes))}`,
      value: growthBytes,
      met: growthBytes < targets.heapGrowthBytes,
    });
  }
  list.push(...serveTargets(results.serve));
  const baseline = results.mock?.baseline;
  if (baseline !== undefined) {
    const { startup, rss } = results.mock.baselineRatios;
    const pairs = mockPairs(results.mock.baselineRatios);
    const verdict = startup > 1 || rss > 1 ? 'not met' : pairs.verdict;
    list.push({
      id: 'mockVsBaseline',
      target: `aicredits-mock at least as good as the build at ${baseline.commit ?? baseline.bin} (same run, interleaved): start-up and RSS after start ≤ 1×, requests/s ≥ 1× (the median of ${pairs.count} slice pairs' ratios; "within noise" when it is below 1× but its ${pairs.coverageText} confidence interval from the pairs' spread reaches 1×)`,
      measured: `start-up ${times(startup)}, RSS ${times(rss)}, requests/s ${times(pairs.median)} (median; interval ${pairs.intervalText}; pairs ${pairs.ratios.map(times).join(', ')})`,
      value: { startup, rss, requestsPerSecond: pairs.median, requestsPerSecondInterval: [pairs.low, pairs.high] },
      met: verdict === 'met',
      verdict,
    });
  }
  return list;
}

/**
 * The mock's requests/s against its baseline, judged by the slice pairs (each pair back to back,
 * so sharing the machine's load of the moment): met when the median pair ratio is at least 1×,
 * within noise when it is below but the interval of that median still reaches 1× (this run cannot
 * tell the builds apart), not met when the whole interval is below 1×.
 */
function mockPairs(baselineRatios) {
  const ratios = baselineRatios.requestsPerSecondPerSlice;
  const { median, low, high, coverage } = medianInterval(ratios);
  const coverageText = `${Math.floor(coverage * 100)} %`;
  return {
    ratios,
    count: ratios.length,
    median: round(median, 3),
    low,
    high,
    coverageText,
    intervalText: `${low}–${high}× at ${coverageText}`,
    verdict: median >= 1 ? 'met' : high >= 1 ? 'within noise' : 'not met',
  };
}

function table(headers, rows, align) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const separator = headers.map((_, index) => (align?.[index] === 'l' ? '---' : '---:'));
  return [line(headers), line(separator), ...rows.map(line)].join('\n');
}

const us = (value) => formatNumber(value, 3);
const times = (value) => (value === undefined ? 'n/a' : `${value}×`);

function overheadTable(section, ratioHeader, ratioKey, secondHeader, secondKey) {
  return table(
    ['provider', 'variant', 'ops/s', 'p50 µs', 'p99 µs', 'mean µs', ratioHeader, secondHeader],
    section.rows.map((row) => [
      row.provider,
      row.variant,
      formatNumber(row.opsPerSecond, 4),
      us(row.p50Us),
      us(row.p99Us),
      us(row.meanUs),
      times(row[ratioKey]),
      times(row[secondKey]),
    ]),
    ['l', 'l'],
  );
}

/** The "why" for each target that is not met, from this run's stage costs and CPU profile. */
function reasons(results, evaluated) {
  const { overhead, stages, profile } = results;
  const out = [];
  const failed = new Set(evaluated.filter((target) => !target.met).map((target) => target.id));
  const stage = (name) => stages?.rows.find((row) => row.stage.startsWith(name));
  if ((failed.has('stubVsOpenapiFetch') || failed.has('loopbackVsRawFetch')) && overhead !== undefined) {
    const perProvider = (transport, baseRole) =>
      rowsOf(overhead, transport, 'aicredits-on').map((row) => {
        const base = overhead[transport].rows.find(
          (other) => other.provider === row.provider && other.role === baseRole,
        );
        return round(row.p50Us - base.p50Us, 3);
      });
    const stubExtra = perProvider('stubbed', 'openapi-fetch');
    const loopExtra = perProvider('loopback', 'floor');
    // The same method through undici, as raw fetch is: what the layer adds over the same transport.
    const loopFetchExtra = rowsOf(overhead, 'loopback', 'aicredits-fetch').map((row) => {
      const floor = overhead.loopback.rows.find((other) => other.provider === row.provider && other.role === 'floor');
      return round(row.p50Us - floor.p50Us, 3);
    });
    const signed = (values) =>
      `${values.map((value) => us(Math.abs(value))).join(' / ')} µs ${values.every((value) => value < 0) ? 'less' : values.every((value) => value >= 0) ? 'more' : 'more (negative: less)'}`;
    const bareOverRaw = rowsOf(overhead, 'loopback', 'openapi-fetch').map((row) => row.p50VsFloor);
    const onOff = ['stubbed', 'loopback'].map((transport) =>
      rowsOf(overhead, transport, 'aicredits-on').map((row) => {
        const off = overhead[transport].rows.find(
          (other) => other.provider === row.provider && other.role === 'aicredits-off',
        );
        return round(row.p50Us - off.p50Us, 2);
      }),
    );
    out.push(
      `- **Extra time per call.** With a stubbed fetch the aicredits method takes ${stubExtra.map(us).join(' / ')} µs more than bare openapi-fetch (p50, providers in table order); over loopback it takes ${signed(loopExtra)} than raw fetch with its default transport on Node (\`node:http\`)${loopFetchExtra.length === 0 ? '' : `, and ${signed(loopFetchExtra)} through undici like raw fetch (\`fetch: globalThis.fetch\`)`}. Validation on minus off: ${onOff[0].map(us).join(' / ')} µs stubbed, ${onOff[1].map(us).join(' / ')} µs over loopback — within the noise: the generated validators are not where the time goes; the transport is.`,
    );
    if (failed.has('loopbackVsRawFetch')) {
      const oursOverBare = rowsOf(overhead, 'loopback', 'aicredits-on').map((row) => row.p50VsOpenapiFetch);
      const fetchOverBare = rowsOf(overhead, 'loopback', 'aicredits-fetch').map((row) => row.p50VsOpenapiFetch);
      out.push(
        `- **Over loopback, openapi-fetch itself takes much of the ${targets.loopbackVsRawFetch}× budget:** bare openapi-fetch measures ${bareOverRaw.join(' / ')}× raw fetch (p50) in the same run: it builds a \`Request\` for every call, which undici's \`fetch\` then copies into another one (raw \`fetch(url)\` builds only that one). The aicredits method measures ${oursOverBare.join(' / ')}× bare openapi-fetch with its default transport on Node (\`node:http\`, no undici \`Request\`, web streams or followed signal)${fetchOverBare.length === 0 ? '' : ` and ${fetchOverBare.join(' / ')}× through undici (\`fetch: globalThis.fetch\`, the baseline's transport): that second ratio is what the layer adds (the work below), the first what a user on Node gets`}.`,
      );
    }
    if (stages !== undefined) {
      const parts = [
        [
          'one controller + abort listener',
          "the attempt's `AbortController`, with a listener forwarding the caller's abort",
        ],
        ['setTimeout + clearTimeout', 'the per-attempt timer'],
        [
          'read the body with arrayBuffer()',
          'reading the body inside the attempt (so that the timeout covers it; the fetch path)',
        ],
        ['shared TextDecoder decode(body)', 'decoding it once'],
        ['redactSecrets (split/join) + JSON.parse', 'redacting the key from it and parsing it'],
      ]
        .map(([name, label]) => [stage(name), label])
        .filter(([row]) => row !== undefined);
      const total = parts.reduce((sum, [row]) => sum + row.netUs, 0);
      const share = (row) => `${Math.round((row.netUs / total) * 100)} %`;
      out.push(
        `- **Stages (timed on their own, table below):** ${parts.map(([row, label]) => `${label} ≈ ${us(row.netUs)} µs (${share(row)})`).join('; ')}; together ≈ ${us(total)} µs (timed in isolation, each with the garbage collection it causes, so the sum differs from the gap above; the shares are what matter). Each is what a per-attempt timeout, retries that re-read a cut-off body, and redaction cost; bare openapi-fetch does none of them. Over real sockets, on the fetch path, undici also builds its own \`Request\` per attempt and follows the attempt's signal.`,
      );
      out.push(
        "- **What is left to try:** on Node, a call without a `fetch` setting goes through the core's own transport (`node:http`/`node:https`, a shared keep-alive agent, chosen by the `node` condition of `@aicredits/core`'s `imports` map, so browsers, Deno and Bun keep `fetch`): no undici `Request`, web streams or followed `AbortSignal` per attempt. Through `fetch` (every other runtime, or `fetch: globalThis.fetch`), each attempt has one undici `Request` (built by `fetch(url, init)` from a light request openapi-fetch makes for `call()`), and what remains there is mostly undici itself. On both paths the auth headers are set by the transport instead of a middleware, a call without a signal adds no abort listener, and a body with no backslash and no echo of the key is not copied to be sanitized; what is left of the layer is the attempt's controller and timer, the response's `Headers`, decoding, redaction and validation.",
      );
    }
    if (profile?.areas !== undefined) {
      const area = (name) => profile.areas.find((entry) => entry.area === name)?.percent ?? 0;
      const frame = (pattern) =>
        profile.topSelf.filter((entry) => pattern.test(entry.frame)).reduce((sum, entry) => sum + entry.percent, 0);
      out.push(
        `- **CPU profile** (stubbed fetch, ${profile.subject}, validation on; ${profile.calls} calls): garbage collection ${area('garbage collection')} %, undici's Request/Response ${area('undici (fetch, Request, Response)')} %, abort signals (\`createAbortSignal\`, \`makeTransferable\`, \`SafeWeakRef\`) ≈ ${round(frame(/createAbortSignal|^any |makeTransferable|SafeWeakRef|abort_controller/), 3)} %, web streams ${area('node: webstreams')} %, aicredits code itself ${round(area('aicredits core') + area('aicredits provider'), 3)} %, openapi-fetch ${area('openapi-fetch')} %.`,
      );
    }
  }
  const mockRatios = results.mock?.baselineRatios;
  if (failed.has('mockVsBaseline') && mockRatios !== undefined) {
    const pairs = mockPairs(mockRatios);
    const cpu = mockRatios.serverCpuPerRequestPerSlice;
    const cpuText =
      cpu === undefined
        ? times(mockRatios.serverCpuPerRequest)
        : `${times(round(medianInterval(cpu).median, 3))} (median of the pairs: ${cpu.map(times).join(', ')})`;
    const above = [
      ...(mockRatios.startup > 1 ? [`start-up (${times(mockRatios.startup)})`] : []),
      ...(mockRatios.rss > 1 ? [`RSS after start (${times(mockRatios.rss)})`] : []),
    ];
    const requestsText = {
      met: `Requests/s meets the bar: the median of the pairs is ${times(pairs.median)}`,
      'within noise': `Requests/s is within this run's noise: the median of the pairs is ${times(pairs.median)}, but its interval (${pairs.intervalText}, from the pairs' own spread) reaches 1×, so this run cannot tell the two builds apart; more runs of the mock part alone (\`node scripts/bench/run.mjs --only mock\`, with the same baseline) can`,
      'not met': `Requests/s is below the baseline's beyond this run's noise: the median of the pairs is ${times(pairs.median)} and its whole interval (${pairs.intervalText}) is below 1×`,
    }[pairs.verdict];
    out.push(
      `- **Mock against its baseline build.** ${above.length === 0 ? '' : `Above 1×: ${above.join(' and ')}. `}${requestsText}. Requests/s per slice pair: ${pairs.ratios.map(times).join(', ')}; server CPU per request ${cpuText}.`,
    );
  }
  return out;
}

export function renderMarkdown(results, evaluated) {
  const { meta, overhead, stages, profile, fanout, coldStart, mock, bundle, failures } = results;
  const parts = [];
  parts.push(`# Benchmarks

Generated by \`npm run bench\` (\`scripts/bench/run.mjs\`) on ${meta.date}; do not edit by hand. Raw numbers: \`scripts/bench/results.json\`.

## Machine

| | |
|---|---|
| CPU | ${meta.cpuModel} × ${meta.cores} (\`nproc\` ${meta.nproc}) |
| memory | ${formatBytes(meta.memoryBytes)} |
| Node | ${meta.node} (${meta.platform}) |
| load average at start / end | ${meta.loadAverageStart.join(', ')} / ${meta.loadAverageEnd.join(', ')} |
| commit | ${meta.commit ?? 'n/a'}${meta.dirty ? ' (with uncommitted changes)' : ''} |
| total run time | ${meta.durationSeconds} s |

Other work on the machine shows in the numbers (see the load average): every comparison below is between variants measured in the same run, interleaved, so that such noise falls on all of them alike.

## How to run

\`\`\`sh
npm run bench                         # builds (turbo), runs everything, writes BENCHMARKS.md and scripts/bench/results.json
node scripts/bench/run.mjs --smoke    # a few iterations of each benchmark, writes nothing, exits non-zero if one throws
node scripts/bench/run.mjs --only overhead,fanout   # a subset: prints the results as JSON, writes nothing
\`\`\`

Every benchmark uses the built packages (\`dist\`) and talks only to servers it starts on 127.0.0.1 (port 0); every server and child process is stopped when it ends, also on failure.
`);

  parts.push(`## Targets

${table(
  ['target', 'measured', 'met'],
  evaluated.map((target) => [
    target.target,
    target.measured,
    `**${target.verdict ?? (target.met ? 'met' : 'not met')}**`,
  ]),
  ['l', 'l', 'l'],
)}
`);
  const why = reasons(results, evaluated);
  if (why.length > 0) parts.push(`### Why targets are not met\n\n${why.join('\n')}\n`);
  if (failures.length > 0) {
    parts.push(
      `### Benchmarks that failed in this run\n\n${failures.map((failure) => `- ${failure.name}: ${failure.message}`).join('\n')}\n`,
    );
  }

  if (overhead !== undefined) {
    parts.push(`## Per-call overhead

The same GET answered with the provider's seed body (from the documentation seed pages: ${Object.entries(
      overhead.seedBytes,
    )
      .map(([id, bytes]) => `${id} ${bytes} B`)
      .join(
        ', ',
      )}). Calls one at a time; the variants interleaved in rounds (A B C … A B C …) after a warm-up; every sample is one call. ops/s = samples ÷ their total time.

### Over loopback

A minimal Node \`http\` server in another process answers on 127.0.0.1 with keep-alive. Raw fetch, bare openapi-fetch and the aicredits rows marked \`fetch: globalThis.fetch\` use undici's global pool (Node's \`fetch\`); the other aicredits rows use the core's default transport on Node (\`node:http\` over a keep-alive agent), which is what a Node user gets without a \`fetch\` setting. ${overhead.loopback.rounds} rounds in ${formatNumber(overhead.loopback.elapsedMs / 1000)} s.

${overheadTable(overhead.loopback, 'p50 vs raw fetch', 'p50VsFloor', 'p50 vs openapi-fetch', 'p50VsOpenapiFetch')}

### Stubbed fetch

\`fetch\` is an in-process function returning \`new Response(seedJson, { headers: { 'content-type': 'application/json' } })\` (as openapi-fetch's own benchmark does), for every variant: only the clients' own work remains. ${overhead.stubbed.rounds} rounds in ${formatNumber(overhead.stubbed.elapsedMs / 1000)} s.

${overheadTable(overhead.stubbed, 'p50 vs openapi-fetch', 'p50VsOpenapiFetch', 'p50 vs raw', 'p50VsFloor')}
`);
  }

  if (stages !== undefined || profile !== undefined) {
    parts.push(`## Where the time goes\n`);
    if (stages !== undefined) {
      parts.push(`### Stage costs

Each step of an aicredits call that bare openapi-fetch does not take, timed on its own (replicas of the steps in \`packages/core/src/transport.ts\` and \`create-api-client.ts\`, ${stages.subject} seed; median of ${stages.rounds} rounds × ${formatNumber(stages.iterations)}). "net" subtracts the stage that only builds the inputs (named in the last column). Rows whose "where" says "alternative" are other ways to do the same step, for comparison.

${table(
  ['stage', 'where', 'µs', 'net µs', 'net of'],
  stages.rows.map((row) => [row.stage, row.where, us(row.us), us(row.netUs), row.baseline ?? '']),
  ['l', 'l', 'r', 'r', 'l'],
)}
`);
    }
    if (profile !== undefined) {
      parts.push(`### CPU profile

\`node --cpu-prof\` of ${formatNumber(profile.calls)} calls of ${profile.subject}'s \`${profile.method}\` (validation on, stubbed fetch): ${formatNumber(profile.elapsedMs)} ms, ${formatNumber(profile.busyMs)} ms sampled busy. Self time by area:

${table(
  ['area', 'self ms', '%'],
  profile.areas.slice(0, 10).map((row) => [row.area, formatNumber(row.selfMs), String(row.percent)]),
  ['l'],
)}

Top frames by self time:

${table(
  ['frame', 'area', 'self ms', '%'],
  profile.topSelf
    .slice(0, 12)
    .map((row) => [`\`${row.frame}\``, row.area, formatNumber(row.selfMs), String(row.percent)]),
  ['l', 'l'],
)}

aicredits and openapi-fetch frames by total (inclusive) time:

${table(
  ['frame', 'total ms', '%'],
  profile.topInclusiveOurs
    .slice(0, 10)
    .map((row) => [`\`${row.frame}\``, formatNumber(row.totalMs), String(row.percent)]),
  ['l'],
)}
`);
    }
  }

  if (fanout !== undefined) {
    const rounds = fanout.memoryRounds;
    parts.push(`## Fan-out

\`createAccounts({ accounts: N × ${fanout.subject}, concurrency: ${fanout.concurrency} }).balances()\` against a server (another process) that answers after ${fanout.delayMs} ms. Ideal = ${fanout.delayMs} ms × ceil(N / ${fanout.concurrency}). Baseline: the same N requests with raw \`fetch\` + \`JSON.parse\` from ${fanout.concurrency} plain workers. Memory sampled every ${fanout.sampleEveryMs} ms during the call (\`process.memoryUsage()\`, this process only).

${table(
  [
    'N',
    'rounds',
    'ideal ms',
    'wall ms (median)',
    'vs ideal',
    'raw fetch ms',
    'raw vs ideal',
    'vs raw fetch',
    'peak RSS',
    'peak heap used',
  ],
  fanout.rows.map((row) => [
    row.accounts,
    row.rounds,
    formatNumber(row.idealMs),
    formatNumber(row.wallMsMedian, 4),
    times(row.vsIdeal),
    formatNumber(row.rawFetchMs, 4),
    times(row.rawVsIdeal),
    times(row.vsRawFetch),
    formatBytes(row.peakRssBytes),
    formatBytes(row.peakHeapUsedBytes),
  ]),
)}

Heap used after \`global.gc()\` (run with \`--expose-gc\`) following each of ${rounds.heapUsedAfterGcBytes.length} rounds of ${rounds.accounts} accounts: ${rounds.heapUsedAfterGcBytes.map(formatBytes).join(', ')} (last − first: ${rounds.growthBytes >= 0 ? '+' : '−'}${formatBytes(Math.abs(rounds.growthBytes))}).
`);
  }

  if (coldStart !== undefined) {
    const { process: runs } = coldStart;
    parts.push(`## Cold start

From spawning the process to its first output (and to its exit), median of ${runs.cli.runs} interleaved runs. ${coldStart.accounts} accounts (one per provider); the raw baseline makes ${coldStart.requests} requests, every operation of every spec, of which the CLI makes those its balances need, against a fast local server that is already running.

${table(
  ['command', 'to first output ms', 'to exit ms', 'vs raw'],
  [
    [
      '`node packages/aicredits/bin/aicredits.js balances --json --config <file>`',
      formatNumber(runs.cli.firstOutputMsMedian, 4),
      formatNumber(runs.cli.exitMsMedian, 4),
      times(runs.cli.vsRaw),
    ],
    [
      '`node -e` with raw fetch + JSON.parse of the same requests (baseline)',
      formatNumber(runs.raw.firstOutputMsMedian, 4),
      formatNumber(runs.raw.exitMsMedian, 4),
      '1×',
    ],
    [
      '`node -e 0` (Node start-up alone)',
      formatNumber(runs.node.firstOutputMsMedian, 4),
      formatNumber(runs.node.exitMsMedian, 4),
      '',
    ],
  ],
  ['l'],
)}

Import time of each package: \`node -e "import('…')"\`, median of ${coldStart.imports[0].runs} runs; "import ms" is measured inside the process around \`import()\`, "process ms" is the whole process, "over node" subtracts \`node -e 0\` timed in the same loop (${formatNumber(coldStart.importFloorMs, 4)} ms), so it carries the noise of two process start-ups (a negative value is within that noise); "import ms" is the steadier figure.

${table(
  ['package', 'import ms', 'process ms', 'over node ms'],
  coldStart.imports.map((row) => [
    row.package,
    formatNumber(row.importMsMedian),
    formatNumber(row.processMsMedian, 4),
    formatNumber(row.overNodeMs),
  ]),
  ['l'],
)}
`);
  }

  if (mock !== undefined) {
    const { baseline, baselineRatios } = mock;
    const row = (name, data) => [
      name,
      data.processes,
      formatNumber(data.startupMsMedian, 4),
      formatBytes(data.rssAfterStartBytes),
      formatBytes(data.peakRssBytes),
      formatNumber(data.requestsPerSecond, 4),
      `${data.p50Ms} / ${data.p99Ms}`,
      formatNumber(data.serverCpuUsPerRequest, 4),
    ];
    const sliceSeconds = mock.load.sliceMs / 1000;
    const slicesText =
      baseline !== undefined && mock.load.pairs !== undefined
        ? `in slices of ${sliceSeconds} s while all are up: the mock and the baseline ${mock.load.pairs} each, in pairs back to back (which of the two goes first alternates), the Prism CLI ${mock.load.slices} spread between the pairs`
        : `in ${mock.load.slices} slices of ${sliceSeconds} s per set-up, alternating between the set-ups while all are up`;
    parts.push(`## Mock server

\`aicredits-mock\` (all four providers in one process, until it has printed the four URLs) against the Prism CLI started once per spec (\`prism mock specs/<provider>.yaml --port 0\`, four processes started together, until each prints "Prism is listening on"). Start-up: median of ${mock.mock.starts} / ${mock.prism.starts} starts, interleaved. Load: a second process sends requests from ${mock.load.concurrency} concurrent loops, round-robin over the four providers' balance endpoints with their auth headers, ${slicesText} (after a ${mock.load.warmupMs} ms warm-up each); requests/s counts 2xx answers over all slices (per slice: mock ${mock.mock.requestsPerSecondPerSlice.join(', ')}; Prism ${mock.prism.requestsPerSecondPerSlice.join(', ')}); p50 / p99 are medians over the slices. Prism CLI logs every request at its default level; the mock is silent by default.

${table(
  [
    'server',
    'processes',
    'start-up ms',
    'RSS after start',
    'peak RSS (after load)',
    'requests/s',
    'p50 / p99 ms',
    'server CPU µs/request',
  ],
  [
    row(`\`aicredits-mock\`${mock.mock.commit === undefined ? '' : ` at ${mock.mock.commit}`}`, mock.mock),
    ...(baseline === undefined
      ? []
      : [row(`\`aicredits-mock\` at ${baseline.commit ?? baseline.bin} (baseline)`, baseline)]),
    row('Prism CLI × 4', mock.prism),
  ],
  ['l'],
)}

Mock ÷ Prism CLI: start-up ${times(mock.ratios.startup)}, RSS ${times(mock.ratios.rss)}, requests/s ${times(mock.ratios.requestsPerSecond)}. After stopping, \`pgrep -f\` found ${mock.prismLeftover.length} of the ${mock.prismPidsChecked} Prism processes still running.
${
  baseline === undefined
    ? ''
    : `
The baseline is another build of the mock (\`AICREDITS_BENCH_MOCK_BASELINE_BIN\`, see \`scripts/bench/README.md\`), started with the same command and loaded with the same requests, its start-ups and slices interleaved with the others. Mock ÷ baseline: start-up ${times(baselineRatios.startup)}, CPU time until ready ${times(baselineRatios.startupCpu)} (the steadier figure under load; starts: mock ${mock.mock.startupMsPerStart.map((value) => formatNumber(value, 4)).join(', ')} ms; baseline ${baseline.startupMsPerStart.map((value) => formatNumber(value, 4)).join(', ')} ms), RSS after start ${times(baselineRatios.rss)}, requests/s ${times(baselineRatios.requestsPerSecond)} over all slices and ${times(mockPairs(baselineRatios).median)} as the median of the slice pairs' ratios (interval ${mockPairs(baselineRatios).intervalText}; per slice pair ${baselineRatios.requestsPerSecondPerSlice.map(times).join(', ')}; baseline slices ${baseline.requestsPerSecondPerSlice.join(', ')}), server CPU per request ${times(baselineRatios.serverCpuPerRequest)}. Baseline ÷ Prism CLI: start-up ${times(baselineRatios.baselineVsPrism.startup)}, RSS ${times(baselineRatios.baselineVsPrism.rss)}, requests/s ${times(baselineRatios.baselineVsPrism.requestsPerSecond)}.
`
}`);
  }

  if (bundle !== undefined) {
    parts.push(`## Bundle size

Each package's root entry as an app bundles it: ${bundle.bundler}. "all exports" bundles \`export * from '<package>'\`; "typical use" imports one factory and calls it (tree-shaken).

${table(
  [
    'package',
    'all exports min',
    'all exports min+gzip',
    'vs openapi-fetch',
    'typical use min+gzip',
    'vs openapi-fetch',
    'minified bytes by source (all exports)',
  ],
  bundle.rows.map((row) => [
    row.package,
    formatBytes(row.allExports.minifiedBytes),
    formatBytes(row.allExports.gzipBytes),
    times(row.allExports.vsOpenapiFetch),
    formatBytes(row.typicalUse.gzipBytes),
    times(row.typicalUse.vsOpenapiFetch),
    Object.entries(row.sources)
      .filter(([, bytes]) => bytes > 0)
      .map(([source, bytes]) => `${source} ${formatBytes(bytes)}`)
      .join(', '),
  ]),
  ['l'],
)}
`);
  }
  if (results.serve !== undefined) parts.push(renderServe(results.serve, table));
  return `${parts.join('\n').trimEnd()}\n`;
}
