/**
 * Where a provider's remaining credits are and what spending them changes, as its spec's
 * `x-aicredits-mock.drain` says (generated into `generated/mock-providers.ts`). Fields are dotted
 * paths into the answer's JSON body.
 */
export interface DrainRule {
  /** The operation whose answer carries the remaining credits. */
  readonly path: string;
  /** Balance fields spent in order (the ones that expire soonest first), none below zero. */
  readonly spend?: readonly {
    readonly field: string;
    /** Fields that count what was spent from `field` (e.g. used points). */
    readonly countedIn?: readonly string[];
  }[];
  /** A usage field that grows instead, `perCredit` per credit spent (gateways report usage, not a balance). */
  readonly grow?: {
    readonly field: string;
    readonly perCredit: number;
    /** Usage stops at this field of another path's answer (× `perCredit`): remaining stops at zero. */
    readonly limit?: { readonly path: string; readonly field: string };
  };
}
