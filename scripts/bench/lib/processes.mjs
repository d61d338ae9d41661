// Child-process bookkeeping: every process a benchmark starts is tracked here and stopped in a
// `finally`, on SIGINT/SIGTERM, and (synchronously, with SIGKILL) when this process exits anyway.
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const tracked = new Set();

function remember(child, { group = false } = {}) {
  const entry = { child, group };
  tracked.add(entry);
  child.once('exit', () => tracked.delete(entry));
  return child;
}

function signalEntry({ child, group }, signal) {
  try {
    if (group) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

let installed = false;
/** Registers the last-resort clean-up once per process. */
export function installCleanup() {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const entry of tracked) signalEntry(entry, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  // A helper whose parent went away (IPC closed) has nobody to report to.
  if (process.send !== undefined) {
    process.once('disconnect', () => {
      stopAll().finally(() => process.exit(1));
    });
  }
}

export function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child, { graceMs = 3000, group = false } = {}) {
  if (child === undefined || child.pid === undefined) return;
  const entry = { child, group };
  if (hasExited(child)) {
    if (group) signalEntry(entry, 'SIGKILL'); // stragglers of the group
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalEntry(entry, 'SIGTERM');
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  if ((await Promise.race([exited, timedOut])) === 'timeout') {
    signalEntry(entry, 'SIGKILL');
    await exited;
  }
  clearTimeout(timer);
  if (group) signalEntry(entry, 'SIGKILL');
}

export async function stopAll() {
  await Promise.allSettled([...tracked].map((entry) => stopChild(entry.child, { group: entry.group })));
}

export function spawnTracked(command, args, options = {}) {
  const child = spawn(command, args, options);
  return remember(child, { group: options.detached === true });
}

/** Forks a script of ours with an IPC channel, tracked like every other child. */
export function forkTracked(script, args = [], options = {}) {
  return remember(fork(script, args, options));
}

/**
 * Forks a helper script of ours (an IPC child) and waits for its first message, e.g. `{ url }`.
 * The helper exits by itself when this process goes away (see installCleanup).
 */
export async function forkHelper(script, { args = [], execArgv = [], readyTimeoutMs = 15_000 } = {}) {
  const child = remember(fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    const ready = await firstMessage(child, readyTimeoutMs);
    return { child, ready };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

export function firstMessage(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no message from pid ${child.pid} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message) => finish(undefined, message);
    const onExit = (code, signal) =>
      finish(new Error(`pid ${child.pid} exited (${signal ?? code}) before it answered`));
    function finish(error, message) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Sends `message` to an IPC child and waits for its next message. */
export function request(child, message, timeoutMs = 60_000) {
  const answer = firstMessage(child, timeoutMs);
  child.send(message);
  return answer;
}

/** Resident set size and its peak (VmHWM) of a process, from /proc; undefined when unavailable. */
export function procMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    return { rssBytes: field('VmRSS'), peakRssBytes: field('VmHWM') };
  } catch {
    return { rssBytes: undefined, peakRssBytes: undefined };
  }
}

/** User + system CPU time of a process in milliseconds (Linux clock ticks are 10 ms). */
export function procCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is fields[0], utime is field 14 of the file, i.e. fields[11].
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Reads `stream` line by line until `accept(lines)` returns a value other than undefined; keeps
 * draining the stream afterwards so that a chatty child never blocks on a full pipe.
 */
export function waitForOutput(child, stream, accept, timeoutMs) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const lines = [];
    let done = false;
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `pid ${child.pid}: expected output not seen within ${timeoutMs} ms; got: ${lines.join(' | ').slice(0, 500)}`,
          ),
        ),
      timeoutMs,
    );
    const onData = (chunk) => {
      if (done) return;
      buffer += chunk.toString('utf8');
      let newline;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        lines.push(
          buffer
            .slice(0, newline)
            // oxlint-disable-next-line no-control-regex -- strips the colour codes of the lines read
            .replace(/\u001b\[[0-9;]*m/g, '')
            .trimEnd(),
        );
        buffer = buffer.slice(newline + 1);
      }
      const value = accept(lines);
      if (value !== undefined) finish(undefined, value);
    };
    const onExit = (code, signal) =>
      finish(
        new Error(`pid ${child.pid} exited (${signal ?? code}) early; output: ${lines.join(' | ').slice(0, 500)}`),
      );
    function finish(error, value) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    }
    stream.on('data', onData);
    child.once('exit', onExit);
  });
}
