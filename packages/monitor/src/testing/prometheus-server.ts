import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's prometheus package; PROMETHEUS_PATH / PROMTOOL_PATH point elsewhere. */
export const prometheusPath = process.env['PROMETHEUS_PATH'] ?? '/usr/bin/prometheus';
export const promtoolPath = process.env['PROMTOOL_PATH'] ?? '/usr/bin/promtool';

export interface PrometheusServer {
  url: string;
  /** An instant query's vector result. */
  query(expression: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Polls `probe` until it returns something other than `undefined` (each try waits on the real server, not a fixed sleep). */
  waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago: Prometheus cannot listen on port 0 and tell which port it got. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real Prometheus on 127.0.0.1 with a temporary storage directory, scraping `targets` every second
 * and evaluating `ruleFiles` every second. Resolves once `/-/ready` answers 200.
 */
export async function startPrometheus(options: {
  target: { host: string; port: number };
  ruleFiles?: string[];
  bearerToken?: string;
}): Promise<PrometheusServer> {
  const directory = await mkdtemp(path.join(tmpdir(), 'aicredits-prometheus-'));
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: [
      {
        job_name: 'aicredits',
        static_configs: [{ targets: [`${options.target.host}:${options.target.port}`] }],
        ...(options.bearerToken === undefined
          ? {}
          : { authorization: { type: 'Bearer', credentials: options.bearerToken } }),
      },
    ],
  };
  // JSON is YAML.
  await writeFile(path.join(directory, 'prometheus.yml'), JSON.stringify(config));
  let child: ChildProcess | undefined;
  let output = '';
  let exited = false;
  const stop = async () => {
    if (child !== undefined && !exited) {
      const exit = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exit;
    }
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = spawn(
      prometheusPath,
      [
        `--config.file=${path.join(directory, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', () => (exited = true));

    const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
      // Bounded by the test's timeout; each attempt is a real request, paced by a short timer so
      // a busy machine is not spun.
      for (;;) {
        if (exited) throw new Error(`prometheus exited while waiting for ${what}:\n${output}`);
        const result = await probe().catch(() => undefined);
        if (result !== undefined) return result;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await waitFor('/-/ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
    return {
      url,
      waitFor,
      async query(expression) {
        const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expression })}`);
        const body = (await response.json()) as {
          status: string;
          data: { resultType: string; result: [] };
          error?: string;
        };
        if (body.status !== 'success') throw new Error(`query ${expression}: ${body.error}`);
        return body.data.result;
      },
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
