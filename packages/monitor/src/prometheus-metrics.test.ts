import { describe, expect, it } from 'vitest';

import type { AccountView } from './account-families.js';
import { createPrometheusMetrics } from './prometheus-metrics.js';
import { reading } from './testing/readings.js';

const at = new Date('2026-12-01T00:00:00Z');

function view(overrides: Partial<AccountView> = {}): AccountView {
  const latest = reading({
    at,
    parts: [{ name: 'daily', remaining: 5, limit: 10, resetsAt: new Date('2026-12-02T00:00:00Z'), expiresAt: undefined }],
    expiresAt: new Date('2027-01-01T00:00:00Z'),
  });
  return { provider: 'crowdcomputed', account: 'studio', min: 50, latest, lastSuccess: latest, used: 900, forecast: undefined, alerts: undefined, ...overrides };
}

async function render(views: AccountView[]) {
  const metrics = createPrometheusMetrics({ accounts: () => views, version: '1.2.3', processMetrics: false });
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
    expect(text).toContain(`\naicredits_part_reset_timestamp_seconds{${labels},part="daily"} ${Date.parse('2026-12-02T00:00:00Z') / 1000}\n`);
    expect(text).toContain(`\naicredits_next_reset_timestamp_seconds{${labels}} ${Date.parse('2026-12-02T00:00:00Z') / 1000}\n`);
    expect(text).toContain(`\naicredits_plan_expiry_timestamp_seconds{${labels}} ${Date.parse('2027-01-01T00:00:00Z') / 1000}\n`);
    expect(text).toContain(`\naicredits_last_success_timestamp_seconds{${labels}} ${at.getTime() / 1000}\n`);
    expect(text).not.toMatch(/^aicredits_alert_active\{/m);
    expect(text).toContain('\naicredits_build_info{version="1.2.3"} 1\n');
    expect(text).toContain('# TYPE aicredits_balance_remaining gauge\n');
  });

  it('leaves out what is not known instead of writing 0', async () => {
    const failed = reading({ at, ok: false, remaining: undefined, limit: undefined, unit: undefined, errorKind: 'timeout' });
    const text = await render([view({ account: 'new', latest: failed, lastSuccess: undefined, used: undefined, min: undefined })]);
    expect(text).not.toMatch(/^aicredits_balance_remaining\{/m);
    expect(text).not.toMatch(/^aicredits_balance_min\{/m);
    expect(text).not.toMatch(/^aicredits_plan_expiry_timestamp_seconds\{/m);
    expect(text).toContain('\naicredits_last_check_success{provider="crowdcomputed",account="new",unit=""} 0\n');
  });

  it('escapes hostile label values so they can neither end the label nor start a sample', async () => {
    const hostile = 'a"} 1\nfake_metric{x="\\';
    const success = reading({ at, plan: `plan "${hostile}`, parts: [{ name: hostile, remaining: 1, limit: undefined, resetsAt: undefined, expiresAt: undefined }] });
    const text = await render([view({ account: hostile, latest: success, lastSuccess: success })]);
    const escaped = 'a\\"} 1\\nfake_metric{x=\\"\\\\';
    expect(text).toContain(`aicredits_balance_remaining{provider="crowdcomputed",account="${escaped}",unit="points"} 100\n`);
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

  it('rebuilds the lines of an account whose view changed and reuses the rest', async () => {
    const first = view();
    const views = [first, view({ account: 'other' })];
    const metrics = createPrometheusMetrics({ accounts: () => views, version: '1', processMetrics: false });
    const before = (await metrics.render()).toString();
    views[0] = { ...first, lastSuccess: { ...first.lastSuccess!, remaining: 42 } };
    const after = (await metrics.render()).toString();
    expect(before).toContain('account="studio",unit="points"} 100\n');
    expect(after).toContain('aicredits_balance_remaining{provider="crowdcomputed",account="studio",unit="points"} 42\n');
    expect(after).toContain('aicredits_balance_remaining{provider="crowdcomputed",account="other",unit="points"} 100\n');
  });

  it('counts checks by provider and result and times them in a histogram', async () => {
    const metrics = createPrometheusMetrics({ accounts: () => [], version: '1', processMetrics: false });
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
