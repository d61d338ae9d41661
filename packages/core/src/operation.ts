import type { FetchFunction } from './transport.js';
import type { Validator } from './validation.js';

/** The arguments openapi-fetch needs so that a call goes through the aicredits transport. */
// A type alias, not an interface: openapi-fetch's options need an implicit index signature.
export type OperationInit = {
  // `stream`: openapi-fetch leaves a success body alone; the transport has read it already.
  parseAs: 'stream';
  fetch: FetchFunction;
  headers?: Record<string, string> | undefined;
  redirect: 'manual';
  // What openapi-fetch builds instead of a `Request`: only the parts the transport sends, which
  // costs a fraction of a `Request` (its own abort signal, header checks) on every call.
  Request: typeof Request;
};

export interface Operation<Body, Data> {
  /** The spec's `operationId`, used in errors and logs. */
  name: string;
  /** Makes the openapi-fetch call, spreading `init` into its options. */
  send(init: OperationInit): Promise<{ response: Response }>;
  /** The validator generated from the spec for the success body. */
  validator?: Validator | undefined;
  /** Fields of the response that are secrets: masked in every error that keeps the body. */
  secretFields?: readonly string[] | undefined;
  /**
   * The fields of the body its reader uses, as paths like `hard_limit_usd` or `data.totalPoints`
   * (`[]` for array items). When given, a body that lacks only required fields outside them is
   * used: `ApiClient.read` names the missing ones. Without it, every required field must be there.
   */
  fieldsRead?: readonly string[] | undefined;
  /** Picks the data out of a valid body, or says why the body is unusable. */
  unwrap?(body: Body): { data: Data } | { invalid: string; path?: string };
}
