import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where the history lives: `watch.store` as a `file:` / `libsql:` / `http(s):` / `ws(s):` URL, or a
 * path (relative to `cwd`); by default `$XDG_STATE_HOME/aicredits/history.db`, falling back to
 * `~/.local/state` as the XDG base directory spec says.
 */
export function resolveStoreUrl(
  store: string | undefined,
  options: { cwd: string; environment: Record<string, string | undefined> },
): string {
  if (store !== undefined && /^(file|libsql|https?|wss?):/i.test(store)) return store;
  if (store !== undefined) return pathToFileURL(resolve(options.cwd, store)).href;
  return pathToFileURL(join(stateDirectory(options.environment), 'aicredits', 'history.db')).href;
}

function stateDirectory(environment: Record<string, string | undefined>): string {
  const xdg = environment['XDG_STATE_HOME'];
  // The spec says a relative value is invalid and must be ignored.
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return xdg;
  return join(environment['HOME'] || homedir(), '.local', 'state');
}

/** The URL without credentials or query (an auth token may ride in it), for messages. */
export function describeStoreUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return decodeURIComponent(parsed.pathname);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparsable store URL)';
  }
}
