import { SettingsError } from './settings-error.js';

/**
 * Checks `baseURL` before any request: it must be absolute http(s), carry no credentials, and use
 * https unless the host is this machine, because the API key travels in a header.
 */
export function resolveBaseURL(provider: string, baseURL: string, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    // Quoted without a `user:password@` part, which would end up in the message.
    const shown = JSON.stringify(baseURL.replace(/^([^/]*\/\/)?[^/?#]*@/, '$1***@'));
    throw new SettingsError({ provider, setting: 'baseURL', message: `baseURL ${shown} is not an absolute URL` });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SettingsError({
      provider,
      setting: 'baseURL',
      message: `baseURL must use https (or http to localhost), not ${url.protocol}`,
    });
  }
  if (url.username !== '' || url.password !== '') {
    // Not echoed: the credentials would end up in the message.
    throw new SettingsError({
      provider,
      setting: 'baseURL',
      message: 'baseURL must not contain a user name or password',
    });
  }
  if (/[?#]/.test(baseURL)) {
    // Paths are appended to baseURL as text, so a query or fragment would swallow them. Not echoed:
    // a query is where people put tokens.
    throw new SettingsError({
      provider,
      setting: 'baseURL',
      message: "baseURL must not contain a query (?...) or fragment (#...); give the API's base address only",
    });
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new SettingsError({
      provider,
      setting: 'baseURL',
      message: `refusing to send the API key over plain http to ${url.host}; use https, or set allowInsecureHttp: true`,
    });
  }
  return baseURL.replace(/\/+$/, '');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
