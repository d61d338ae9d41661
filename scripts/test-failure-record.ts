// A vitest reporter that writes what failed in a package's run to one small file, which
// scripts/test.mjs prints after its summary. CI keeps only the tail of `npm test`'s log, and turbo
// prints each package's whole output in one block, so a failed test in an early package was lost
// above the later packages' output: the last red run named only "@aicredits/monitor#test".
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Reporter, TestModule, TestRunEndReason, Vitest } from 'vitest/node';

/** The directory scripts/test.mjs reads; `AICREDITS_TEST_FAILURES` moves it (for this reporter's test). */
export function failureRecordDirectory(): string {
  return (
    process.env.AICREDITS_TEST_FAILURES ??
    fileURLToPath(new URL('../node_modules/.cache/aicredits-test-failures/', import.meta.url))
  );
}

interface RecordedError {
  message?: unknown;
  name?: unknown;
  stack?: unknown;
}

// Enough of each error to find it in the full log; the rest of the stack is vitest's and node's.
const linesPerError = 12;
const frameOfNoInterest = /node_modules|node:internal|<anonymous>/;

function describeError(error: RecordedError): string[] {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const heading = `${typeof error.name === 'string' ? error.name : 'Error'}: ${String(error.message ?? '')}`;
  const frames = stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !frameOfNoInterest.test(line))
    .map((line) => line.trim());
  return [...heading.split('\n'), ...frames].slice(0, linesPerError).map((line) => `    ${line}`);
}

export class FailureRecord implements Reporter {
  #root = process.cwd();

  onInit(vitest: Vitest): void {
    this.#root = vitest.config.root;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<RecordedError>,
    reason: TestRunEndReason,
  ): void {
    const lines: string[] = [];
    for (const testModule of testModules) {
      for (const error of testModule.errors()) {
        lines.push(`${testModule.relativeModuleId}: the file failed`, ...describeError(error));
      }
      for (const suite of testModule.children.allSuites()) {
        for (const error of suite.errors()) {
          lines.push(`${testModule.relativeModuleId} > ${suite.fullName}: a hook failed`, ...describeError(error));
        }
      }
      for (const test of testModule.children.allTests('failed')) {
        lines.push(`${testModule.relativeModuleId} > ${test.fullName}`);
        for (const error of test.result().errors ?? []) lines.push(...describeError(error));
      }
    }
    for (const error of unhandledErrors) lines.push('an unhandled error', ...describeError(error));
    if (lines.length === 0 && reason !== 'failed') return;
    if (lines.length === 0) lines.push('the run failed without a failed test (see the full log)');
    this.#write('', lines);
  }

  onProcessTimeout(): void {
    this.#write('-close', ['vitest did not close within its teardownTimeout: something still holds the process']);
  }

  #write(suffix: string, lines: string[]): void {
    const directory = failureRecordDirectory();
    mkdirSync(directory, { recursive: true });
    writeFileSync(
      join(directory, `${basename(this.#root)}${suffix}.txt`),
      `${basename(this.#root)}\n${lines.join('\n')}\n`,
    );
  }
}
