import { redactSecrets } from 'aicredits';

/**
 * Provider text (plan names, error messages) made inert for any channel: no API key, no control
 * characters or escape sequences, no bidirectional overrides, one line, bounded length.
 */
export function plainText(text: string, secrets: readonly string[], maxLength = 500): string {
  const clean = redactSecrets(text, secrets)
    // ANSI / VT escape sequences first, then any other C0/C1 control or bidi/zero-width format character.
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]|\u009b[0-?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 3)}...` : clean;
}

/**
 * Slack's documented escaping (`&`, `<`, `>`): with it, `<!channel>`, `<@U123>` and `<url|text>`
 * from a plan name stay text. Messages are sent with `mrkdwn: false`, so `*bold*` stays literal too.
 */
export function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Discord markdown and mention syntax escaped with backslashes; messages also carry
 * `allowed_mentions: { parse: [] }`, so `@everyone` cannot ping even if it got through.
 */
export function discordText(text: string): string {
  return text.replace(/[\\*_~`|>#\-[\]()<:@!]/g, (character) => `\\${character}`);
}
