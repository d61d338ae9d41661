// The HTTP thread of `aicredits serve` when createServe runs from its TypeScript sources (the
// tests): the built package starts dist/serve-http-worker.js instead. Registers a loader that
// compiles the sources with esbuild (what tsup builds them with), then starts the worker's file.
import { register } from 'node:module';

register('./typescript-loader.mjs', import.meta.url);
await import('../serve-http-worker.ts');
