/** The command line or the configuration file is wrong; the message says which field and what was expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
