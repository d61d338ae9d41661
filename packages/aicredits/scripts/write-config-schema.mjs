// After tsup: dist/config.schema.json, the JSON Schema of aicredits.config.json, from the same field
// list the CLI checks config files with (src/cli/config-fields.ts). Generated; never edit it.
import { writeFile } from 'node:fs/promises';

import { configJsonSchema } from '../dist/cli/main.js';

await writeFile(
  new URL('../dist/config.schema.json', import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
