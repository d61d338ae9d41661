import { createHmac } from 'node:crypto';

import type { Transporter } from 'nodemailer';

import type { Notification } from './notification.js';
import { discordText, slackText } from './safe-text.js';
import type { NotifierConfig } from './watch-config.js';

/** Delivers one notification or throws; the outbox retries a throw with backoff. */
export interface Notifier {
  readonly name: string;
  send(notification: Notification, signal: AbortSignal): Promise<void>;
  close?(): void;
}

export type NotifierFetch = (input: string, init: RequestInit) => Promise<Response>;

export interface NotifierOptions {
  fetch?: NotifierFetch | undefined;
  /** Unix ms, for the webhook's timestamp. */
  now?: (() => number) | undefined;
}

/** The header a generic webhook's receiver checks: `sha256=` + hex HMAC-SHA256 of the raw body with the secret. */
export const signatureHeader = 'x-aicredits-signature-256';

export function createNotifier(config: NotifierConfig, options: NotifierOptions = {}): Notifier {
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  switch (config.type) {
    case 'webhook':
      return {
        name: config.name,
        async send(notification, signal) {
          const body = JSON.stringify({
            source: 'aicredits',
            sentAt: new Date(now()).toISOString(),
            title: notification.title,
            lines: notification.lines,
            events: notification.events,
          });
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (config.secret !== undefined) {
            headers[signatureHeader] = `sha256=${createHmac('sha256', config.secret).update(body).digest('hex')}`;
          }
          await post(fetchFunction, config, body, headers, signal);
        },
      };
    case 'slack':
      return {
        name: config.name,
        async send(notification, signal) {
          // Incoming webhook payload: `text` is required; `mrkdwn: false` keeps provider text literal.
          const text = [notification.title, ...notification.lines.map((line) => `• ${line}`)].map(slackText).join('\n');
          await post(fetchFunction, config, JSON.stringify({ text, mrkdwn: false }), jsonHeaders, signal);
        },
      };
    case 'discord':
      return {
        name: config.name,
        async send(notification, signal) {
          const lines = [notification.title, ...notification.lines.map((line) => `- ${line}`)].map(discordText);
          // Discord rejects content over 2000 characters.
          let content = lines.join('\n');
          if (content.length > 1990) content = `${content.slice(0, 1987)}...`;
          const body = JSON.stringify({ content, username: 'aicredits', allowed_mentions: { parse: [] } });
          await post(fetchFunction, config, body, jsonHeaders, signal);
        },
      };
    case 'email': {
      // nodemailer (~3 MB of RSS) loads with the first email, not with every `aicredits watch`:
      // most notifications never need it, and an alert may not come for days.
      let transport: Promise<Transporter> | undefined;
      return {
        name: config.name,
        async send(notification) {
          transport ??= import('nodemailer').then(({ createTransport }) => createTransport(config.smtpUrl));
          const mailer = await transport;
          await mailer.sendMail({
            from: config.from,
            to: config.to,
            subject: notification.title,
            text: `${notification.lines.join('\n')}\n\n-- aicredits watch\n`,
          });
        },
        close: () => void transport?.then((mailer) => mailer.close()).catch(() => undefined),
      };
    }
  }
}

const jsonHeaders = { 'content-type': 'application/json' };

async function post(
  fetchFunction: NotifierFetch,
  config: { type: string; name: string; url: string },
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetchFunction(config.url, { method: 'POST', body, headers, signal, redirect: 'error' });
  } catch (error) {
    // The URL itself is a secret for Slack and Discord webhooks: name the notifier, never the URL.
    throw new Error(`${config.type} notifier ${config.name}: the request failed (${(error as Error).name})`);
  }
  // Read and drop the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) {
    throw Object.assign(new Error(`${config.type} notifier ${config.name}: HTTP ${response.status}`), {
      retryAfterMs: retryAfter(response.headers.get('retry-after')),
    });
  }
}

function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 3_600_000) : undefined;
}
