// `aicredits serve` against real parts, in one file so that the process-heavy ones run one after
// another and are started once: Debian's Prometheus scrapes serve (with the bearer token) and
// evaluates the shipped rules, promtool checks and unit-tests them, and headless Chromium
// (playwright-core, as packages/package-checks' browser test) loads the dashboard. Serve runs
// over the mock servers with a real SQLite history and a manual clock. Without Prometheus or
// Chromium this file fails (it never skips): `.ci/run` installs both.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { MockServers } from '@aicredits/mock';
import { chromiumArguments, chromiumPath } from '@aicredits/test-server/chromium';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { prometheusPath, type PrometheusServer, promtoolPath, startPrometheus } from './testing/prometheus-server.js';
import { reading } from './testing/readings.js';
import { mockRemaining, type ServeFixture, startMockServers, startServeOverMocks } from './testing/serve-fixture.js';

const run = promisify(execFile);
const packageDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rulesFile = path.join(packageDirectory, 'prometheus/alerts.yml');
/** Kept after the run (gitignored): what the dashboard looked like. */
const screenshotFile = path.join(packageDirectory, 'test-results/dashboard.png');
const token = 'serve-real-parts-token';
/** Provider text at its worst: quotes and braces for the exposition format, markup for the page. */
const hostileLabel = 'evil"} 1\naicredits_fake{x="<img src=x onerror="window.__pwned=1">\\ ☃';

let servers: MockServers | undefined;
let fixture: ServeFixture | undefined;
let storeDirectory: string | undefined;
let prometheus: PrometheusServer | undefined;
let profileDirectory: string | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  for (const [name, file] of [
    ['prometheus', prometheusPath],
    ['promtool', promtoolPath],
    ['chromium', chromiumPath],
  ]) {
    if (!existsSync(file!)) {
      throw new Error(
        `${name} not found at ${file}: run \`bash .ci/run\` (it installs Debian's ${name === 'chromium' ? 'chromium' : 'prometheus'} package) or install it yourself.`,
      );
    }
  }
  servers = await startMockServers();
  storeDirectory = mkdtempSync(path.join(tmpdir(), 'aicredits-serve-'));
  const start = Date.parse('2026-12-01T00:00:00Z');
  const hour = 3_600_000;
  fixture = await startServeOverMocks(
    servers,
    `file:${path.join(storeDirectory, 'history.db')}`,
    { token },
    {
      labels: { iqqz: hostileLabel },
      // ImaginePro spent 1,000 credits a day before the mock's 2,600 now: a forecast to draw.
      seed: (store) =>
        store.append(
          [48, 36, 24, 12].map((hoursAgo) =>
            reading({
              provider: 'imaginepro',
              account: 'default',
              at: new Date(start - hoursAgo * hour),
              remaining: 2600 + (hoursAgo / 24) * 1000,
              limit: 5000,
              unit: 'credits',
            }),
          ),
        ),
    },
  );
  await fixture.poll();
  // Started here, not in a test, so that every test below can run alone or in any order.
  prometheus = await startPrometheus({
    target: { host: '127.0.0.1', port: fixture.serve.server.port },
    ruleFiles: [rulesFile],
    bearerToken: token,
  });
}, 120_000);

/** Prometheus's first scrape of serve: every account's balance, read after the first round. */
function firstScrape() {
  return prometheus!.waitFor('the first scrape', async () => {
    const result = await prometheus!.query('aicredits_balance_remaining');
    return result.length === 4 ? result : undefined;
  });
}

afterAll(async () => {
  await Promise.allSettled([context?.close(), prometheus?.stop()]);
  await fixture?.close();
  await servers?.close();
  for (const directory of [storeDirectory, profileDirectory]) {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  }
}, 60_000);

describe('the shipped alert rules', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await run(promtoolPath, ['check', 'rules', rulesFile]);
    expect(stdout).toContain('SUCCESS: 4 rules found');
  });

  it('fire on series that mean low, depleting, failing and expiring, and stay silent otherwise (promtool test rules)', async () => {
    const { stdout } = await run(promtoolPath, ['test', 'rules', 'alerts-unit-tests.yml'], {
      cwd: path.join(packageDirectory, 'prometheus'),
    });
    expect(stdout).toMatch(/SUCCESS/);
  });
});

describe('a real Prometheus scraping aicredits serve', () => {
  it('reads every account back through the query API, hostile label values intact', async () => {
    const series = await firstScrape();
    const byProvider = Object.fromEntries(series.map((entry) => [entry.metric['provider'], entry]));
    for (const [provider, remaining] of Object.entries(mockRemaining)) {
      expect(Number(byProvider[provider]!.value[1]), provider).toBe(remaining);
      expect(byProvider[provider]!.metric['job']).toBe('aicredits');
    }
    expect(byProvider['iqqz']!.metric['account']).toBe(hostileLabel);
    // The label could not start a sample of its own.
    expect(await prometheus!.query('aicredits_fake')).toEqual([]);
    const [up] = await prometheus!.query('up{job="aicredits"}');
    expect(up!.value[1]).toBe('1');
  }, 60_000);

  it('loads the shipped rules and raises AICreditsLow for the account below its min', async () => {
    const alert = await prometheus!.waitFor('AICreditsLow', async () => {
      const response = await fetch(`${prometheus!.url}/api/v1/alerts`);
      const body = (await response.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
      return body.data.alerts.find(
        (candidate) =>
          candidate.labels['alertname'] === 'AICreditsLow' && candidate.labels['provider'] === 'crowdcomputed',
      );
    });
    // `for: 5m` keeps it pending in a test that lasts seconds; pending is Prometheus saying the rule matched.
    expect(alert.state).toBe('pending');
    expect(alert.labels).toMatchObject({ provider: 'crowdcomputed', account: 'default', severity: 'warning' });
    const rules = (await (await fetch(`${prometheus!.url}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string }[] }[] };
    };
    const loaded = rules.data.groups.flatMap((group) => group.rules);
    expect(loaded.map((rule) => rule.name).sort()).toEqual([
      'AICreditsCheckFailing',
      'AICreditsDepletingSoon',
      'AICreditsLow',
      'AICreditsPlanExpiring',
    ]);
    expect(loaded.every((rule) => rule.health !== 'err')).toBe(true);
  }, 60_000);

  it("exposes metrics that pass promtool's lint (naming, units, suffixes)", async () => {
    const response = await fetch(`${fixture!.serve.server.url}metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    // Only our families: prom-client's own nodejs_* gauges end in _total, which the lint flags.
    const ours = text
      .split(/\n(?=# HELP )/)
      .filter((block) => block.startsWith('# HELP aicredits_'))
      .join('\n');
    expect(ours).toContain('# TYPE aicredits_check_duration_seconds histogram');
    const child = execFile(promtoolPath, ['check', 'metrics']);
    child.stdin!.end(ours);
    const [code, output] = await new Promise<[number | null, string]>((resolve) => {
      let collected = '';
      child.stdout!.on('data', (chunk: Buffer) => (collected += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (collected += chunk.toString()));
      child.on('close', (exitCode) => resolve([exitCode, collected]));
    });
    expect(output).toBe('');
    expect(code).toBe(0);
  });
});

describe('the dashboard in headless Chromium', () => {
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    profileDirectory = mkdtempSync(path.join(tmpdir(), 'aicredits-chromium-profile-'));
    context = await chromium.launchPersistentContext(profileDirectory, {
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumArguments],
      timeout: 60_000,
      viewport: { width: 1280, height: 1000 },
      // The browser's own Basic prompt, answered: the page and its fetches carry the token.
      httpCredentials: { username: 'dashboard', password: token },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
  }, 120_000);

  it('shows every account with its numbers, alerts and bars, provider text as text', async () => {
    await page.goto(fixture!.serve.server.url);
    await page.waitForFunction(() => document.querySelectorAll('#accounts .account').length === 4);
    const cards = await page.$$eval('#accounts .account', (items) =>
      items.map((item) => ({
        provider: item.querySelector('.provider')!.textContent!.trim(),
        label: item.querySelector('.label')!.textContent,
        amount: item.querySelector('.amount')!.textContent,
        badges: [...item.querySelectorAll('.badge')].map((badge) => badge.textContent),
        bars: item.querySelectorAll('.bar').length,
      })),
    );
    const balances = (await (
      await fetch(`${fixture!.serve.server.url}api/balances`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      results: { provider: string; balance: { remaining: number; unit: string }; alerts: { kind: string }[] }[];
    };
    const alertLabels: Record<string, string> = {
      low: 'low',
      expired: 'plan expired',
      expiring: 'plan expiring',
      depleting: 'runs out soon',
      failing: 'check failing',
    };
    const format = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
    expect(cards.map((card) => card.provider)).toEqual(['crowdcomputed', 'imaginepro', 'iqqz', 'pixverse']);
    for (const card of cards) {
      const { balance, alerts } = balances.results.find((result) => result.provider === card.provider)!;
      expect(balance.remaining).toBe(mockRemaining[card.provider as keyof typeof mockRemaining]);
      expect(card.amount).toBe(`${format.format(balance.remaining)} ${balance.unit}`);
      const expected = alerts.length === 0 ? ['no alert'] : alerts.map((alert) => alertLabels[alert.kind]);
      expect(card.badges.slice(-expected.length), card.provider).toEqual(expected);
    }
    // CrowdComputed's mock has 0 points, below min 100.
    expect(cards.find((card) => card.provider === 'crowdcomputed')!.badges).toContain('low');
    expect(cards.find((card) => card.provider === 'iqqz')!.label).toBe(hostileLabel);
    expect(cards.some((card) => card.bars > 0)).toBe(true);
    expect(await page.$$eval('#accounts img', (images) => images.length)).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  }, 60_000);

  it('draws the history chart with the forecast line', async () => {
    // The seeded readings and each round's (the Grafana test below polls a second one).
    const history = (await (
      await fetch(`${fixture!.serve.server.url}api/history?provider=imaginepro&account=default&since=30d`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { readings: unknown[] };
    expect(history.readings.length).toBeGreaterThanOrEqual(5);
    await page.goto(fixture!.serve.server.url);
    await page.click('.account[data-key="imaginepro/default"]');
    await page.waitForFunction(
      () => document.getElementById('history-title')!.textContent === 'History of imaginepro default',
    );
    await page.waitForFunction(
      (points) =>
        document.querySelector('#chart canvas') !== null &&
        document.getElementById('chart')!.dataset['points'] === String(points),
      history.readings.length,
    );
    expect(await page.$eval('#chart', (chart) => chart.dataset['forecast'])).toBe('true');
    expect(await page.textContent('#history-note')).toMatch(/^runs out ~Dec 3/);
    // Pixels of each series' colour on the canvas: both lines were really drawn.
    const drawn = await page.$eval('#chart canvas', (canvas) => {
      const { data } = (canvas as HTMLCanvasElement)
        .getContext('2d')!
        .getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
      const near = (index: number, [r, g, b]: number[]) =>
        data[index + 3]! > 128 &&
        Math.abs(data[index]! - r!) + Math.abs(data[index + 1]! - g!) + Math.abs(data[index + 2]! - b!) < 60;
      let remaining = 0;
      let forecast = 0;
      for (let index = 0; index < data.length; index += 4) {
        if (near(index, [25, 118, 210])) remaining++;
        if (near(index, [239, 108, 0])) forecast++;
      }
      return { remaining, forecast };
    });
    expect(drawn.remaining).toBeGreaterThan(50);
    expect(drawn.forecast).toBeGreaterThan(50);
    mkdirSync(path.dirname(screenshotFile), { recursive: true });
    await page.screenshot({ path: screenshotFile, fullPage: true });
    expect(existsSync(screenshotFile)).toBe(true);
    // No CSP violation, script error or failed request along the way.
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('the shipped Grafana dashboard', () => {
  // No Grafana here (Debian does not package it): what can be checked without one is that the
  // JSON has what Grafana's import reads, and that every query parses and returns data in a real
  // Prometheus scraping serve, with the variables as "All" selects them (`(?s:.*)`: a plain `.*`
  // would leave out a label with a line feed in it, as the hostile iqqz one has).
  const dashboard = JSON.parse(
    readFileSync(path.join(packageDirectory, 'prometheus/grafana-dashboard.json'), 'utf8'),
  ) as {
    title: string;
    uid: string;
    schemaVersion: number;
    __inputs: { name: string; type: string; pluginId: string }[];
    templating: { list: { name: string; type: string; query: unknown; definition?: string; allValue?: string }[] };
    panels: {
      id: number;
      type: string;
      title: string;
      gridPos: { x: number; y: number; w: number; h: number };
      datasource: { type: string; uid: string };
      targets: { expr: string; refId: string }[];
    }[];
  };
  const variables = new Map(dashboard.templating.list.map((variable) => [variable.name, variable]));
  const builtIn = new Set(['__rate_interval', '__interval', '__range']);
  const usedVariables = (text: string) => [...text.matchAll(/\$\{?(\w+)\}?/g)].map((match) => match[1]!);
  /** The expression as Grafana sends it with every variable on "All" and a 1-minute rate interval. */
  const expand = (expression: string) =>
    expression.replace(/\$\{?(\w+)\}?/g, (_text, name: string) =>
      builtIn.has(name) ? '1m' : variables.get(name)!.allValue!,
    );

  it("has what Grafana's import reads: title, uid, schema version, unique panel ids on the 24-column grid, a Prometheus data source variable", () => {
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ type: 'datasource', pluginId: 'prometheus' })]);
    expect(variables.get('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect(['table', 'timeseries', 'bargauge', 'stat', 'state-timeline'], panel.title).toContain(panel.type);
      const { x, y, w, h } = panel.gridPos;
      expect(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24, panel.title).toBe(true);
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      expect(new Set(panel.targets.map((target) => target.refId)).size, panel.title).toBe(panel.targets.length);
      for (const target of panel.targets) {
        for (const name of usedVariables(target.expr))
          expect(builtIn.has(name) || variables.has(name), `${panel.title}: $${name}`).toBe(true);
      }
    }
  });

  it('has panel queries that all parse and return data from a real Prometheus scraping serve', async () => {
    // A second round, so the check counters and the duration histogram have a rate (a scrape of
    // each round, hence the first one awaited); then wait until Prometheus has scraped it (the
    // readiness event), and ask each query once.
    await firstScrape();
    await fixture!.poll(5 * 60_000);
    await prometheus!.waitFor('the second round scraped', async () => {
      const [rate] = await prometheus!.query('sum(rate(aicredits_checks_total[1m]))');
      return rate !== undefined && Number(rate.value[1]) > 0 ? true : undefined;
    });
    const expressions = dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => `${panel.title}: ${expand(target.expr)}`),
    );
    expect(expressions.length).toBeGreaterThanOrEqual(9);
    const answers: string[] = [];
    for (const line of expressions) {
      const expression = line.slice(line.indexOf(': ') + 2);
      // query() throws on a parse error, with Prometheus's message.
      const series = await prometheus!.query(expression);
      const finite = series.filter((entry) => Number.isFinite(Number(entry.value[1])));
      answers.push(`${line} -> ${finite.length} series`);
    }
    expect(answers.filter((answer) => answer.endsWith(' 0 series'))).toEqual([]);
  }, 90_000);

  it('has variable queries (label_values) that list every provider and account', async () => {
    await firstScrape();
    for (const variable of dashboard.templating.list.filter((candidate) => candidate.type === 'query')) {
      // label_values(<selector>, <label>) is Grafana's; Prometheus answers it through its label values API.
      const [, selector, label] = /^label_values\((.+), (\w+)\)$/.exec(variable.definition!)!;
      const response = await fetch(
        `${prometheus!.url}/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': expand(selector!) })}`,
      );
      const body = (await response.json()) as { status: string; data: string[] };
      expect(body.status, variable.name).toBe('success');
      if (label === 'provider') expect(body.data.sort()).toEqual(Object.keys(mockRemaining).sort());
      else expect(body.data).toContain(hostileLabel);
    }
  });
});
