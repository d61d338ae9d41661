import { AiCreditsError } from './aicredits-error.js';

/**
 * The client is configured in a way that cannot work or is unsafe: no API key, a malformed
 * `baseURL`, or plain `http://` to a remote host. Thrown before any request is sent.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (SettingsError.isInstance(error)) console.error(`fix the ${error.setting} setting:`, error.message);
 * }
 * ```
 */
export class SettingsError extends AiCreditsError {
  static override readonly errorMarker: string = 'aicredits.error.settings';
  override name = 'SettingsError';
  /** The setting at fault, e.g. `apiKey` or `baseURL`. */
  readonly setting: string;

  constructor(options: { provider: string; setting: string; message: string }) {
    super({ provider: options.provider, message: `${options.provider}: ${options.message}` });
    this.setting = options.setting;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), setting: this.setting };
  }
}

/**
 * No API key in the settings nor in the provider's environment variable.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (MissingApiKeyError.isInstance(error)) console.error(`set ${error.environmentVariable}`);
 * }
 * ```
 */
export class MissingApiKeyError extends SettingsError {
  static override readonly errorMarker: string = 'aicredits.error.missing-api-key';
  override name = 'MissingApiKeyError';
  readonly environmentVariable: string | undefined;

  constructor(options: { provider: string; environmentVariable?: string | undefined }) {
    const fromEnvironment = options.environmentVariable
      ? ` or set the ${options.environmentVariable} environment variable`
      : '';
    super({
      provider: options.provider,
      setting: 'apiKey',
      message: `API key is missing or empty. Pass it as the \`apiKey\` setting${fromEnvironment}.`,
    });
    this.environmentVariable = options.environmentVariable;
  }
}
