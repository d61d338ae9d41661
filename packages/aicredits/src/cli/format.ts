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

/** The next date that matters: a renewal, else an expiry. */
export function formatDates(balance: Balance): string {
  if (balance.renewsAt !== undefined) return `renews ${day(balance.renewsAt)}`;
  if (balance.expiresAt !== undefined) {
    return `${balance.expiresAt.getTime() <= balance.fetchedAt.getTime() ? 'expired' : 'expires'} ${day(balance.expiresAt)}`;
  }
  return '';
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
