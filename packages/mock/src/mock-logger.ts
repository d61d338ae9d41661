/**
 * Where Prism's request/negotiation/validation messages go. `console` fits; so does any object
 * with these four methods. Messages are plain text (Prism's terminal colours are stripped).
 */
export interface MockLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
