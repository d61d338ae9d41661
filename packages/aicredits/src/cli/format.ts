import type { Balance } from '@aicredits/core';

/** `1234567.5` → `1,234,567.5`: grouping for the eye, every digit kept. */
export function formatAmount(amount: number | undefined): string {
  if (amount === undefined) return '?';
  const [whole = '', fraction] = String(amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function formatRemaining(balance: Balance): string {
  if (balance.unlimited) return 'unlimited';
  const limit = balance.limit === undefined ? '' : ` / ${formatAmount(balance.limit)}`;
  return `${formatAmount(balance.remaining)}${limit}`;
}

/** The next date that matters: a coming renewal, else the expiry (past or coming), else a past renewal date. */
export function formatDates(balance: Balance): string {
  const now = balance.fetchedAt.getTime();
  if (balance.renewsAt !== undefined && balance.renewsAt.getTime() > now) return `renews ${day(balance.renewsAt)}`;
  if (balance.expiresAt !== undefined) {
    return `${balance.expiresAt.getTime() <= now ? 'expired' : 'expires'} ${day(balance.expiresAt)}`;
  }
  return balance.renewsAt === undefined ? '' : `renewal was due ${day(balance.renewsAt)}`;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
