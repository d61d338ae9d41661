import { describe, expect, it } from 'vitest';

import type { AccountView } from './account-families.js';
import type { EncodedBlock } from './encoded-blocks.js';
import { createPrometheusMetrics } from './prometheus-metrics.js';
import { reading } from './testing/readings.js';

const at = new Date('2026-12-01T00:00:00Z');

function view(overrides: Partial<AccountView> = {}): AccountView {
  const latest = reading({
    at,
    parts: [
      { name: 'daily', remaining: 5, limit: 10, resetsAt: new Date('2026-12-02T00:00:00Z'), expiresAt: undefined },
    ],
    expiresAt: new Date('2027-01-01T00:00:00Z'),
  });
  return {
    provider: 'crowdcomputed',
    account: 'studio',
    min: 50,
    latest,
    lastSuccess: latest,
    used: 900,
    forecast: undefined,
    alerts: undefined,
    ...overrides,
  };
}

async function render(views: AccountView[]) {
  const metrics = createPrometheusMetrics({ version: '1.2.3', processMetrics: false });
  metrics.update(views);
  return (await metrics.render()).toString('utf8');
}

describe('createPrometheusMetrics', () => {
  it('writes one gauge per known value with provider, account and unit labels, times in Unix seconds', async () => {
    const text = await render([view()]);
    const labels = 'provider="crowdcomputed",account="studio",unit="points"';
    expect(text).toContain(`\naicredits_balance_remaining{${labels}} 100\n`);
    expect(text).toContain(`\naicredits_balance_limit{${labels}} 1000\n`);
    expect(text).toContain(`\naicredits_balance_used{${labels}} 900\n`);
    expect(text).toContain(`\naicredits_balance_unlimited{${labels}} 0\n`);
    expect(text).toContain(`\naicredits_balance_min{${labels}} 50\n`);
    expect(text).toContain(`\naicredits_part_remaining{${labels},part="daily"} 5\n`);
    expect(text).toContain(
      `\naicredits_part_reset_timestamp_seconds{${labels},part="daily"} ${Date.parse('2026-12-02T00:00:00Z') / 1000}\n`,
    );
    expect(text).toContain(
      `\naicredits_next_reset_timestamp_seconds{${labels}} ${Date.parse('2026-12-02T00:00:00Z') / 1000}\n`,
    );
    expect(text).toContain(
      `\naicredits_plan_expiry_timestamp_seconds{${labels}} ${Date.parse('2027-01-01T00:00:00Z') / 1000}\n`,
    );
    expect(text).toContain(`\naicredits_last_success_timestamp_seconds{${labels}} ${at.getTime() / 1000}\n`);
    expect(text).not.toMatch(/^aicredits_alert_active\{/m);
    expect(text).toContain('\naicredits_build_info{version="1.2.3"} 1\n');
    expect(text).toContain('# TYPE aicredits_balance_remaining gauge\n');
  });

  it('leaves out what is not known instead of writing 0', async () => {
    const failed = reading({
      at,
      ok: false,
      remaining: undefined,
      limit: undefined,
      unit: undefined,
      errorKind: 'timeout',
    });
    const text = await render([
      view({ account: 'new', latest: failed, lastSuccess: undefined, used: undefined, min: undefined }),
    ]);
    expect(text).not.toMatch(/^aicredits_balance_remaining\{/m);
    expect(text).not.toMatch(/^aicredits_balance_min\{/m);
    expect(text).not.toMatch(/^aicredits_plan_expiry_timestamp_seconds\{/m);
    expect(text).toContain('\naicredits_last_check_success{provider="crowdcomputed",account="new",unit=""} 0\n');
  });

  it('escapes hostile label values so they can neither end the label nor start a sample', async () => {
    const hostile = 'a"} 1\nfake_metric{x="\\';
    const success = reading({
      at,
      plan: `plan "${hostile}`,
      parts: [{ name: hostile, remaining: 1, limit: undefined, resetsAt: undefined, expiresAt: undefined }],
    });
    const text = await render([view({ account: hostile, latest: success, lastSuccess: success })]);
    const escaped = 'a\\"} 1\\nfake_metric{x=\\"\\\\';
    expect(text).toContain(
      `aicredits_balance_remaining{provider="crowdcomputed",account="${escaped}",unit="points"} 100\n`,
    );
    expect(text).toContain(`,part="${escaped}"} 1\n`);
    expect(text).not.toMatch(/^fake_metric/m);
    // Every line is blank (between prom-client families), a comment or a sample of ours.
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^$|^(# (HELP|TYPE) aicredits_|aicredits_)/);
  });

  it('writes 1 for each active alert of the persisted state', async () => {
    const active = { since: at.getTime(), notifiedAt: at.getTime(), detail: 'low' };
    const text = await render([view({ alerts: { active: { low: active, expiring: active }, failures: 0 } })]);
    expect(text.match(/^aicredits_alert_active\{.*$/gm)).toEqual([
      'aicredits_alert_active{provider="crowdcomputed",account="studio",unit="points",alert="low"} 1',
      'aicredits_alert_active{provider="crowdcomputed",account="studio",unit="points",alert="expiring"} 1',
    ]);
  });

  it('serves the changed lines of an account after the next rebuild, and the other families as they were', async () => {
    const first = view();
    // 300 accounts, several blocks of them per family (account-000 ... account-299, then studio).
    const others = Array.from({ length: 299 }, (_, index) =>
      view({ account: `account-${String(index).padStart(3, '0')}` }),
    );
    const metrics = createPrometheusMetrics({ version: '1', processMetrics: false });
    metrics.update([first, ...others]);
    metrics.rebuild();
    const before = await metrics.blocks();
    const textOf = (blocks: EncodedBlock[]) => Buffer.concat(blocks.map((block) => block.bytes)).toString();
    expect(textOf(before)).toContain('account="studio",unit="points"} 100\n');
    metrics.update([{ ...first, lastSuccess: { ...first.lastSuccess!, remaining: 42 } }]);
    // Until the rebuild, the snapshot as it was: a scrape builds nothing.
    const meanwhile = await metrics.blocks();
    expect(meanwhile.slice(1).every((block, index) => block === before[index + 1])).toBe(true);
    metrics.rebuild();
    const after = await metrics.blocks();
    const text = textOf(after);
    expect(text).toContain('aicredits_balance_remaining{provider="crowdcomputed",account="studio",unit="points"} 42\n');
    expect(text).toContain(
      'aicredits_balance_remaining{provider="crowdcomputed",account="account-007",unit="points"} 100\n',
    );
    // One family's column changed (block 0 is prom-client's part).
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((block, index) => (index > 0 && block !== before[index] ? [index] : []));
    expect(changed).toHaveLength(1);
    expect(text.match(/^aicredits_balance_remaining\{/gm)).toHaveLength(300);
    expect(text).toMatch(/^aicredits_accounts 300$/m);
  });

  it('keeps accounts in provider and label order whatever order they arrive in', async () => {
    const metrics = createPrometheusMetrics({ version: '1', processMetrics: false });
    for (const account of ['c', 'a', 'b']) metrics.update([view({ account })]);
    metrics.update([view({ provider: 'aaa', account: 'z' })]);
    const text = (await metrics.render()).toString();
    expect(text.match(/^aicredits_balance_remaining\{provider="(\w+)",account="(\w+)"/gm)).toEqual([
      'aicredits_balance_remaining{provider="aaa",account="z"',
      'aicredits_balance_remaining{provider="crowdcomputed",account="a"',
      'aicredits_balance_remaining{provider="crowdcomputed",account="b"',
      'aicredits_balance_remaining{provider="crowdcomputed",account="c"',
    ]);
  });

  it('counts checks by provider and result and times them in a histogram', async () => {
    const metrics = createPrometheusMetrics({ version: '1', processMetrics: false });
    metrics.observeCheck({ provider: 'iqqz', result: 'success', durationSeconds: 0.3 });
    metrics.observeCheck({ provider: 'iqqz', result: 'timeout', durationSeconds: 12 });
    const text = (await metrics.render()).toString();
    expect(text).toContain('aicredits_checks_total{provider="iqqz",result="success"} 1\n');
    expect(text).toContain('aicredits_checks_total{provider="iqqz",result="timeout"} 1\n');
    expect(text).toContain('aicredits_check_duration_seconds_bucket{le="0.5",provider="iqqz"} 1\n');
    expect(text).toContain('aicredits_check_duration_seconds_bucket{le="30",provider="iqqz"} 2\n');
    expect(text).toContain('aicredits_check_duration_seconds_sum{provider="iqqz"} 12.3\n');
  });
});
