import type { AlertEvent } from './alert-state.js';
import { plainText } from './safe-text.js';

/** What a notifier delivers: the events of one evaluation, already made safe. */
export interface Notification {
  /** One line: what happened, e.g. "aicredits: crowdcomputed/studio is low". */
  title: string;
  /** One line per event. */
  lines: string[];
  /** The events, at most `maxEvents` of them (the title counts them all). */
  events: AlertEvent[];
}

/** A first round with thousands of alerting accounts stays one bounded message. */
export const maxEvents = 200;

const maxListed = 50;

const verbs: Record<AlertEvent['kind'], Record<AlertEvent['change'], string>> = {
  low: { started: 'is low', repeated: 'is still low', recovered: 'recovered' },
  depleting: { started: 'runs out soon', repeated: 'still runs out soon', recovered: 'no longer runs out soon' },
  expiring: { started: 'expires soon', repeated: 'still expires soon', recovered: 'no longer expires soon' },
  expired: { started: 'has expired', repeated: 'is still expired', recovered: 'renewed' },
  failing: { started: 'is failing', repeated: 'is still failing', recovered: 'answers again' },
};

/** Turns alert events into one safe notification; every provider-derived string is cleaned here. */
export function buildNotification(events: readonly AlertEvent[], secrets: readonly string[]): Notification {
  const safe = events.slice(0, maxEvents).map((event) => cleanEvent(event, secrets));
  const headline = (event: AlertEvent) => `${event.provider}/${event.account} ${verbs[event.kind][event.change]}`;
  const title = events.length === 1 ? `aicredits: ${headline(safe[0]!)}` : `aicredits: ${events.length} account alerts`;
  const lines = safe.slice(0, maxListed).map((event) => {
    const forecast = event.forecast !== undefined && event.kind !== 'depleting' ? `; ${event.forecast}` : '';
    const plan = event.plan === undefined ? '' : ` [${event.plan}]`;
    return `${headline(event)}${plan}: ${event.detail}${forecast}`;
  });
  if (events.length > maxListed) lines.push(`... and ${events.length - maxListed} more`);
  return { title, lines, events: safe };
}

function cleanEvent(event: AlertEvent, secrets: readonly string[]): AlertEvent {
  const text = (value: string) => plainText(value, secrets);
  const optional = (value: string | undefined) => (value === undefined ? undefined : text(value));
  return {
    ...event,
    provider: text(event.provider),
    account: text(event.account),
    detail: text(event.detail),
    unit: optional(event.unit),
    plan: optional(event.plan),
    forecast: optional(event.forecast),
  };
}
