import { createHmac } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import type { AlertEvent } from './alert-state.js';
import { buildNotification } from './notification.js';
import { createNotifier, signatureHeader } from './notifiers.js';
import { startReceiver } from './testing/receiver.js';
import { startSmtpServer } from './testing/smtp-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const secret = 'sk-live-secret-key-that-must-never-leak';

function event(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    kind: 'low',
    change: 'started',
    provider: 'imaginepro',
    account: 'main',
    at: '2026-12-01T00:00:00.000Z',
    detail: '400 credits left, below the minimum of 500',
    remaining: 400,
    limit: 1000,
    unit: 'credits',
    plan: 'STARTER',
    forecast: 'runs out ~Dec 4, before renewal Dec 15 (100/day)',
    ...overrides,
  };
}

// A plan name as a hostile provider might send it: mentions, links, markdown, escapes and the key.
const hostilePlan = `<!channel> @everyone <@U123|boss> *PRO* [click](https://evil.example) \u001b[31mred\u001b[0m ${secret}`;

async function receiver() {
  const started = await startReceiver();
  cleanups.push(() => started.close());
  return started;
}

const signal = () => AbortSignal.timeout(10_000);

describe('notifiers', () => {
  it('webhook: a JSON body signed with HMAC-SHA256 of the raw body', async () => {
    const server = await receiver();
    const notifier = createNotifier(
      { type: 'webhook', name: 'ops', url: `${server.url}/hook`, secret: 'webhook-secret' },
      { now: () => Date.parse('2026-12-01T00:00:00Z') },
    );
    await notifier.send(buildNotification([event()], [secret]), signal());
    const [request] = server.received;
    const expected = `sha256=${createHmac('sha256', 'webhook-secret').update(request!.body).digest('hex')}`;
    expect(request!.headers[signatureHeader]).toBe(expected);
    expect(request!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request!.body) as { source: string; sentAt: string; events: AlertEvent[]; title: string };
    expect(body).toMatchObject({
      source: 'aicredits',
      sentAt: '2026-12-01T00:00:00.000Z',
      title: 'aicredits: imaginepro/main is low',
    });
    expect(body.events[0]).toMatchObject({ kind: 'low', change: 'started', remaining: 400, unit: 'credits' });
  });

  it('Slack: escaped text with mrkdwn off, so a plan name cannot mention, link or format; no key', async () => {
    const server = await receiver();
    await createNotifier({ type: 'slack', name: 'slack', url: `${server.url}/services/x` }).send(
      buildNotification([event({ plan: hostilePlan })], [secret]),
      signal(),
    );
    const body = JSON.parse(server.received[0]!.body) as { text: string; mrkdwn: boolean };
    expect(body.mrkdwn).toBe(false);
    expect(body.text).not.toMatch(/<[!@]/);
    expect(body.text).toContain('&lt;!channel&gt;');
    expect(body.text).toContain('&lt;@U123|boss&gt;');
    expect(body.text).not.toContain('\u001b');
    expect(body.text).not.toContain(secret);
    expect(body.text).toContain('[REDACTED]');
  });

  it('Discord: markdown and mentions escaped, allowed_mentions empty, content within 2000 characters', async () => {
    const server = await receiver();
    const many = Array.from({ length: 60 }, (_, index) => event({ account: `account-${index}`, plan: hostilePlan }));
    await createNotifier({ type: 'discord', name: 'discord', url: `${server.url}/api/webhooks/1/x` }).send(
      buildNotification(many, [secret]),
      signal(),
    );
    const body = JSON.parse(server.received[0]!.body) as { content: string; allowed_mentions: { parse: string[] } };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content.length).toBeLessThanOrEqual(2000);
    expect(body.content).not.toMatch(/(^|[^\\])@everyone/);
    expect(body.content).not.toMatch(/(^|[^\\])\*PRO/);
    expect(body.content).toContain('\\[click\\]');
    expect(body.content).not.toContain(secret);
  });

  it('a failing receiver is an error naming the notifier and status, never the URL; Retry-After is kept', async () => {
    const server = await receiver();
    server.answer(429, { 'retry-after': '30' });
    const url = `${server.url}/services/T0/B0/secret-token-in-url`;
    const error = await createNotifier({ type: 'slack', name: 'team-slack', url })
      .send(buildNotification([event()], []), signal())
      .catch((caught: unknown) => caught as Error & { retryAfterMs?: number });
    expect((error as Error).message).toBe('slack notifier team-slack: HTTP 429');
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(30_000);
    expect(JSON.stringify(error)).not.toContain('secret-token-in-url');
  });

  it('email: a real SMTP server receives the subject and plain-text body, without the key', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const { messages } = smtp;
    const notifier = createNotifier({
      type: 'email',
      name: 'email',
      smtpUrl: smtp.url,
      from: 'aicredits@example.com',
      to: ['ops@example.com', 'cto@example.com'],
    });
    cleanups.push(async () => notifier.close?.());
    await notifier.send(
      buildNotification([event({ plan: hostilePlan }), event({ kind: 'failing', account: 'b' })], [secret]),
      signal(),
    );
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message!.from).toBe('aicredits@example.com');
    expect(message!.to).toEqual(['ops@example.com', 'cto@example.com']);
    expect(message!.data).toMatch(/^Subject: aicredits: 2 account alerts\r?$/m);
    expect(message!.data).toContain('imaginepro/main is low');
    expect(message!.data).toContain('imaginepro/b is failing');
    expect(message!.data).not.toContain(secret);
    expect(message!.data).not.toContain('\u001b');
  });
});
