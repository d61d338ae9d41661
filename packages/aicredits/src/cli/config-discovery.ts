import { isAbsolute, join, resolve } from 'node:path';

export const defaultConfigFile = 'aicredits.config.json';
export const configEnvironmentVariable = 'AICREDITS_CONFIG';

export interface ConfigCandidate {
  path: string;
  /** Named by the user (`--config`, `AICREDITS_CONFIG`): it must exist. */
  explicit: boolean;
}

/**
 * Where the config file is looked for, in order: `--config`, then `AICREDITS_CONFIG`, then
 * `./aicredits.config.json`, then `$XDG_CONFIG_HOME/aicredits/config.json` (`~/.config/...`).
 * A named file stops the search; the others are skipped when absent.
 */
export function configCandidates(options: {
  configPath: string | undefined;
  cwd: string;
  environment: Record<string, string | undefined>;
}): ConfigCandidate[] {
  const { environment, cwd } = options;
  if (options.configPath !== undefined) return [{ path: resolve(cwd, options.configPath), explicit: true }];
  const named = environment[configEnvironmentVariable];
  if (named !== undefined && named !== '') return [{ path: resolve(cwd, named), explicit: true }];
  const candidates = [{ path: resolve(cwd, defaultConfigFile), explicit: false }];
  const directory = userConfigDirectory(environment);
  if (directory !== undefined) candidates.push({ path: join(directory, 'aicredits', 'config.json'), explicit: false });
  return candidates;
}

/** `$XDG_CONFIG_HOME`, else `$HOME/.config`; a relative XDG path is ignored, as the spec says. */
export function userConfigDirectory(environment: Record<string, string | undefined>): string | undefined {
  const xdg = environment['XDG_CONFIG_HOME'];
  if (xdg !== undefined && isAbsolute(xdg)) return xdg;
  const home = environment['HOME'] ?? environment['USERPROFILE'];
  return home !== undefined && isAbsolute(home) ? join(home, '.config') : undefined;
}
