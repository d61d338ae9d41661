import { writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';

import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';

import { createStore } from './create-store.js';
import { migrations } from './migrations.js';
import { StoreError } from './store-error.js';
import { failedReading, reading } from './testing/readings.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';

const directories = useTemporaryDirectory();
const day = 86_400_000;

describe('createStore', () => {
  it('keeps every field of a reading across a reopen of the same file', async () => {
    const { fileUrl } = await directories.create();
    const url = fileUrl('nested/dir/history.db');
    const written = [
      reading({
        at: new Date('2026-12-01T10:00:00Z'),
        remaining: 12.345,
        renewsAt: new Date('2026-12-15T00:00:00Z'),
        parts: [
          {
            name: 'temporary',
            remaining: 2.345,
            limit: 10,
            resetsAt: new Date('2026-12-02T00:00:00Z'),
            expiresAt: undefined,
          },
          { name: 'permanent', remaining: 10, limit: undefined, resetsAt: undefined, expiresAt: undefined },
        ],
        min: 50,
      }),
      failedReading({
        at: new Date('2026-12-01T10:05:00Z'),
        errorKind: 'authentication',
        errorMessage: 'crowdcomputed getMemberInfo failed with HTTP 401: invalid key',
      }),
    ];
    const first = await createStore({ url });
    await first.append(written);
    await first.close();

    const second = await createStore({ url });
    try {
      expect(await second.readings()).toEqual(written);
      expect(await second.count()).toBe(2);
    } finally {
      await second.close();
    }
  });

  it('writes a round of thousands of readings in multi-row statements, every value exact, all or none', async () => {
    const { fileUrl } = await directories.create();
    const store = await createStore({ url: fileUrl('history.db') });
    try {
      // More than two statements' worth (500 rows each), with awkward numbers and provider text.
      const amounts = [0.1 + 0.2, 1e-7, 123_456_789.123_456_78, Number.MAX_VALUE, Number.MIN_VALUE, -0.5, 2 ** 53];
      const texts = [
        'tab\tinside',
        'emoji 🚀 and ünïcode',
        'quote \' and " and ; DROP TABLE readings',
        '\u001b[31mred',
      ];
      const written = Array.from({ length: 1201 }, (_, index) =>
        reading({
          account: `account-${index}`,
          at: new Date(Date.parse('2026-12-01T00:00:00Z') + index),
          remaining: amounts[index % amounts.length],
          plan: texts[index % texts.length],
        }),
      );
      await store.append(written);
      const stored = await store.readings();
      expect(stored).toHaveLength(1201);
      expect(stored).toEqual(written);

      // One bad reading in the third statement: the whole round is rolled back.
      const failing = written.map((each) => ({ ...each, at: new Date(each.at.getTime() + day) }));
      failing[1100] = { ...failing[1100]!, provider: null as unknown as string };
      await expect(store.append(failing)).rejects.toBeInstanceOf(StoreError);
      expect(await store.count()).toBe(1201);
    } finally {
      await store.close();
    }
  });

  it('records the schema version and applies only missing migrations on reopen', async () => {
    const { fileUrl } = await directories.create();
    const url = fileUrl('history.db');
    await (await createStore({ url })).close();
    await (await createStore({ url })).close();
    const client = createClient({ url });
    try {
      const versions = await client.execute('SELECT version FROM aicredits_schema ORDER BY version');
      expect(versions.rows.map((row) => Number(row['version']))).toEqual(migrations.map((_, index) => index + 1));
    } finally {
      client.close();
    }
  });

  it('refuses a database written by a newer schema instead of guessing', async () => {
    const { fileUrl } = await directories.create();
    const url = fileUrl('history.db');
    await (await createStore({ url })).close();
    const client = createClient({ url });
    await client.execute({ sql: 'INSERT INTO aicredits_schema (version) VALUES (?)', args: [migrations.length + 1] });
    client.close();
    const error = await createStore({ url }).catch((caught: unknown) => caught);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/newer @aicredits\/monitor/);
  });

  it("reads one account's rows through the account index, not every account's", async () => {
    const { fileUrl } = await directories.create();
    const url = fileUrl('history.db');
    const store = await createStore({ url });
    try {
      const start = Date.parse('2026-12-01T00:00:00Z');
      await store.append(
        ['team', 'team/a@example.com', 'team-2', 'team.b', 'teamwork'].map((account, index) =>
          reading({ provider: 'pixverse', account, at: new Date(start + index) }),
        ),
      );
      const found = await store.readings({ provider: 'pixverse', accounts: ['team'], since: new Date(start) });
      expect(found.map((entry) => entry.account)).toEqual(['team', 'team/a@example.com']);
    } finally {
      await store.close();
    }
    const client = createClient({ url });
    try {
      const plan = await client.execute({
        sql: 'EXPLAIN QUERY PLAN SELECT * FROM readings WHERE ((account >= ? AND account < ?)) AND provider = ? AND at >= ? ORDER BY at, id',
        args: ['team', 'team0', 'pixverse', 0],
      });
      expect(plan.rows.map((row) => String(row['detail'])).join('\n')).toMatch(
        /readings_by_account \(provider=\? AND account>\? AND account<\?\)/,
      );
    } finally {
      client.close();
    }
  });

  it('filters by account (a PixVerse group label selects its members), provider and time', async () => {
    const { fileUrl } = await directories.create();
    const store = await createStore({ url: fileUrl('history.db') });
    try {
      const start = Date.parse('2026-12-01T00:00:00Z');
      await store.append([
        reading({ account: 'studio', at: new Date(start) }),
        reading({ provider: 'pixverse', account: 'team/a@example.com', at: new Date(start + 1) }),
        reading({ provider: 'pixverse', account: 'teamwork', at: new Date(start + 2) }),
        reading({ account: 'studio', at: new Date(start + day) }),
      ]);
      const accounts = async (query: Parameters<typeof store.readings>[0]) =>
        (await store.readings(query)).map((found) => `${found.account}@${found.at.getTime() - start}`);
      expect(await accounts({ accounts: ['team'] })).toEqual(['team/a@example.com@1']);
      expect(await accounts({ accounts: ['studio', 'teamwork'] })).toEqual(['studio@0', 'teamwork@2', `studio@${day}`]);
      expect(await accounts({ provider: 'pixverse' })).toEqual(['team/a@example.com@1', 'teamwork@2']);
      expect(await accounts({ since: new Date(start + 2) })).toEqual(['teamwork@2', `studio@${day}`]);
      expect((await store.latest()).map((found) => `${found.account}@${found.at.getTime() - start}`)).toEqual([
        `studio@${day}`,
        'team/a@example.com@1',
        'teamwork@2',
      ]);
    } finally {
      await store.close();
    }
  });

  it('prunes readings older than the retention cut-off and keeps the rest', async () => {
    const { fileUrl } = await directories.create();
    const store = await createStore({ url: fileUrl('history.db') });
    try {
      const now = Date.parse('2026-12-01T00:00:00Z');
      await store.append([100, 91, 89, 1].map((days) => reading({ at: new Date(now - days * day) })));
      expect(await store.prune(new Date(now - 90 * day))).toBe(2);
      expect((await store.readings()).map((found) => (now - found.at.getTime()) / day)).toEqual([89, 1]);
    } finally {
      await store.close();
    }
  });

  it('writes alert states and their notifications together, and keeps the outbox until delivered', async () => {
    const { fileUrl } = await directories.create();
    const url = fileUrl('history.db');
    const at = new Date('2026-12-01T00:00:00Z');
    const store = await createStore({ url });
    await store.commitAlerts({
      states: [{ key: 'crowdcomputed/studio', state: { condition: 'low' } }],
      notifications: [
        { notifier: 'slack', payload: { text: 'low' } },
        { notifier: 'email', payload: { text: 'low' } },
      ],
      at,
    });
    await store.close();

    const reopened = await createStore({ url });
    try {
      expect(await reopened.alertStates()).toEqual(new Map([['crowdcomputed/studio', { condition: 'low' }]]));
      const [slack, email] = await reopened.dueNotifications(at);
      expect([slack?.notifier, email?.notifier]).toEqual(['slack', 'email']);
      await reopened.markFailed(slack!.id, new Date(at.getTime() + 60_000), 'HTTP 500');
      await reopened.markDelivered(email!.id);
      expect(await reopened.dueNotifications(at)).toEqual([]);
      const [retried] = await reopened.dueNotifications(new Date(at.getTime() + 60_000));
      expect(retried).toMatchObject({
        notifier: 'slack',
        attempts: 1,
        lastError: 'HTTP 500',
        payload: { text: 'low' },
      });
      expect(await reopened.pendingNotifications()).toBe(1);
    } finally {
      await reopened.close();
    }
  });

  it("writes a first round's thousands of alert states in one transaction: updated in place, all or none", async () => {
    const { fileUrl } = await directories.create();
    const url = fileUrl('history.db');
    const at = new Date('2026-12-01T00:00:00Z');
    const states = (condition: string) =>
      Array.from({ length: 5000 }, (_, index) => ({ key: `crowdcomputed/account-${index}`, state: { condition } }));
    const store = await createStore({ url, busyTimeoutMs: 10 });
    const other = createClient({ url });
    try {
      await store.commitAlerts({ states: states('low'), notifications: [], at });
      const holder = await other.transaction('write');
      try {
        await holder.execute("INSERT INTO readings (provider, account, at, ok) VALUES ('x', 'x', 0, 1)");
        const error = await store
          .commitAlerts({ states: states('ok'), notifications: [{ notifier: 'hook', payload: { text: 'ok' } }], at })
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
        expect((error as Error).message).toMatch(/cannot write the alert state: .*locked by another process/);
      } finally {
        await holder.rollback();
        holder.close();
      }
      const kept = await store.alertStates();
      expect(kept.size).toBe(5000);
      expect([...kept.values()].every((state) => (state as { condition: string }).condition === 'low')).toBe(true);
      expect(await store.pendingNotifications()).toBe(0);

      const later = new Date(at.getTime() + 60_000);
      await store.commitAlerts({
        states: states('ok'),
        notifications: [{ notifier: 'hook', payload: { text: 'ok' } }],
        at: later,
      });
      const updated = await other.execute('SELECT count(*) AS n, min(updated_at) AS at FROM alert_state');
      expect(updated.rows[0]).toMatchObject({ n: 5000, at: later.getTime() });
      expect((await store.alertStates()).get('crowdcomputed/account-4999')).toEqual({ condition: 'ok' });
      expect(await store.dueNotifications(later)).toMatchObject([{ notifier: 'hook', payload: { text: 'ok' } }]);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('reads text holding a NUL back whole (libSQL cut it at the NUL), from rows written before this too', async () => {
    const { fileUrl } = await directories.create();
    const url = fileUrl('history.db');
    const at = new Date('2026-12-01T00:00:00Z');
    const plan = 'Pro\u0000 Max 🚀';
    const written = [
      reading({ at, account: 'team\u0000a', plan, unit: 'pts\u0000', min: 5 }),
      failedReading({
        at: new Date(at.getTime() + 1000),
        account: 'team\u0000a',
        errorKind: 'server',
        errorMessage: 'HTTP 500: upstream said \u0000 and then more',
      }),
    ];
    const store = await createStore({ url });
    await store.append(written);
    await store.commitAlerts({
      states: [{ key: 'crowdcomputed/team\u0000a', state: { detail: plan } }],
      notifications: [{ notifier: 'hook\u0000one', payload: { text: plan } }],
      at,
    });
    const [entry] = await store.dueNotifications(at);
    await store.markFailed(entry!.id, at, 'refused: \u0000 here');
    await store.close();
    // A row as every earlier version wrote it, straight through the driver (the write path has not
    // changed: SQLite always had the bytes).
    const client = createClient({ url });
    await client.execute({
      sql: 'INSERT INTO readings (provider, account, at, ok, plan) VALUES (?, ?, ?, 1, ?)',
      args: ['crowdcomputed', 'old', at.getTime(), 'Old\u0000Plan'],
    });
    client.close();

    const reopened = await createStore({ url });
    try {
      expect(await reopened.readings({ accounts: ['team\u0000a'] })).toEqual(written);
      const byAccount = await reopened.readingsOf([{ provider: 'crowdcomputed', account: 'team\u0000a' }], at);
      expect(byAccount.get('crowdcomputed/team\u0000a')).toEqual(written);
      expect((await reopened.latest()).map((each) => [each.account, each.plan, each.errorMessage])).toEqual([
        ['old', 'Old\u0000Plan', undefined],
        ['team\u0000a', undefined, 'HTTP 500: upstream said \u0000 and then more'],
      ]);
      expect(await reopened.alertStates()).toEqual(new Map([['crowdcomputed/team\u0000a', { detail: plan }]]));
      expect(await reopened.dueNotifications(at)).toMatchObject([
        { notifier: 'hook\u0000one', payload: { text: plan }, lastError: 'refused: \u0000 here' },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('names a file that is not a database instead of overwriting it', async () => {
    const { join, fileUrl } = await directories.create();
    await writeFile(join('history.db'), 'these are not the readings you are looking for\n'.repeat(100));
    const error = await createStore({ url: fileUrl('history.db') }).catch((caught: unknown) => caught);
    expect(StoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SQLITE_NOTADB' });
    expect((error as Error).message).toContain(join('history.db'));
    expect((error as Error).message).toMatch(/not an SQLite database/);
  });

  it('fails a write with a clear "locked" error while another process holds the lock, and keeps nothing half-written', async () => {
    const { fileUrl } = await directories.create();
    const url = fileUrl('history.db');
    const store = await createStore({ url, busyTimeoutMs: 10 });
    const other = createClient({ url });
    const holder = await other.transaction('write');
    try {
      await holder.execute("INSERT INTO alert_state (account_key, state, updated_at) VALUES ('x', '{}', 0)");
      const error = await store
        .append([reading({ at: new Date(0) }), reading({ at: new Date(1) })])
        .catch((caught: unknown) => caught);
      expect(StoreError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
      expect((error as Error).message).toMatch(/locked by another process/);
      await holder.rollback();
      expect(await store.count()).toBe(0);
      await store.append([reading({ at: new Date(0) })]);
      expect(await store.count()).toBe(1);
    } finally {
      holder.close();
      other.close();
      await store.close();
    }
  });

  // No libSQL server (sqld) installs from the npm registry, so these cover what a client can see
  // of a server: none listening, one that never answers, one that answers nonsense.
  describe('a libSQL server URL', () => {
    const token = 'libsql-token-that-must-never-show';

    it('with no server listening is a clear "cannot reach" StoreError naming the URL, not the token', async () => {
      const port = await closedPort();
      for (const url of [`http://127.0.0.1:${port}`, `libsql://127.0.0.1:${port}?tls=0`]) {
        const error = await createStore({ url, authToken: token }).catch((caught: unknown) => caught);
        expect(StoreError.isInstance(error)).toBe(true);
        expect((error as Error).message).toMatch(
          new RegExp(
            `^history store \\S+127\\.0\\.0\\.1:${port}\\S*: cannot open the database: cannot reach the libSQL server \\(connect ECONNREFUSED`,
          ),
        );
        expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain(
          token,
        );
      }
    });

    it('that accepts connections and never answers fails after remoteTimeoutMs instead of hanging', async () => {
      const sockets = new Set<Socket>();
      const silent = createNetServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = silent.address() as AddressInfo;
        const error = await createStore({ url: `http://127.0.0.1:${port}`, remoteTimeoutMs: 200 }).catch(
          (caught: unknown) => caught,
        );
        expect(StoreError.isInstance(error)).toBe(true);
        expect((error as Error).message).toMatch(
          /cannot open the database: the libSQL server did not answer within 0\.2 s/,
        );
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it('that answers nonsense echoing the token is a StoreError without the token', async () => {
      const nonsense = createHttpServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: `bad token ${token}` }));
      });
      await new Promise<void>((resolve) => nonsense.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = nonsense.address() as AddressInfo;
        const error = await createStore({ url: `http://127.0.0.1:${port}`, authToken: token }).catch(
          (caught: unknown) => caught,
        );
        expect(StoreError.isInstance(error)).toBe(true);
        expect((error as Error).message).toMatch(
          /^history store http:\/\/127\.0\.0\.1:\d+\/: cannot open the database: /,
        );
        expect((error as Error).message).not.toContain(token);
      } finally {
        nonsense.closeAllConnections();
        await new Promise((resolve) => nonsense.close(resolve));
      }
    });
  });
});

/** A port nothing listens on: one the system gave a server that is closed again. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
