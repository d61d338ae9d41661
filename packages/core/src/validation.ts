/** The shape of a validator generated from a spec (Ajv standalone code). */
export interface ValidationIssue {
  instancePath: string;
  schemaPath?: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

export interface Validator {
  (data: unknown): boolean;
  errors?: ValidationIssue[] | null;
}

/** The most specific problem Ajv found, as a JSON path and what was expected there. */
export function describeValidationFailure(
  validator: Validator,
  body: unknown,
  { quoteValues = true }: { quoteValues?: boolean } = {},
): { path: string; reason: string } {
  return describeIssues(nearestIssues(validator.errors ?? [], body), body, { quoteValues });
}

/** The issues of the branches that nearly matched, and the names of those branches. */
export interface NearestIssues {
  issues: ValidationIssue[];
  /** `anyOf`/`oneOf` branches chosen on the way, outermost first, e.g. `BillingSubscription`. */
  branches: { path: string; name: string }[];
}

export function describeIssues(
  { issues, branches }: NearestIssues,
  body: unknown,
  { quoteValues = true }: { quoteValues?: boolean } = {},
): { path: string; reason: string } {
  // Within a branch, the deepest issue is the one a human wants.
  const issue = [...issues].sort((a, b) => depth(b.instancePath) - depth(a.instancePath))[0];
  if (issue === undefined) return { path: '$', reason: '$: does not match the schema' };
  const path = toJsonPath(issue.instancePath);
  const nearest =
    branches.length === 0
      ? ''
      : ` (nearest match: ${branches.map((branch) => (branch.path === '$' ? branch.name : `${branch.name} at ${branch.path}`)).join(', ')})`;
  if (issue.keyword === 'required') {
    const missing = `${path}.${String(issue.params['missingProperty'])}`;
    return { path: missing, reason: `${missing}: required property is missing${nearest}` };
  }
  if ((issue.keyword === 'oneOf' || issue.keyword === 'anyOf') && Array.isArray(issue.params['passingSchemas'])) {
    return { path, reason: `${path}: matches more than one of the oneOf branches${nearest}` };
  }
  const actual = valueAt(body, issue.instancePath);
  const expected =
    issue.keyword === 'type'
      ? `expected ${String(issue.params['type'])}`
      : (issue.message ?? `fails the ${issue.keyword} keyword`);
  // A response that holds secrets gets only the value's type: the value could be one.
  const got = quoteValues ? describeValue(actual) : describeType(actual);
  return { path, reason: `${path}: ${expected}, got ${got}${nearest}` };
}

/**
 * The JSON paths of the required properties a body lacks, when that is all that is wrong with it
 * (in the branches that nearly matched); `undefined` when anything else is wrong too.
 */
export function onlyMissingProperties(nearest: NearestIssues): string[] | undefined {
  const missing: string[] = [];
  for (const issue of nearest.issues) {
    if (issue.keyword !== 'required') return undefined;
    missing.push(`${toJsonPath(issue.instancePath)}.${String(issue.params['missingProperty'])}`);
  }
  return missing.length === 0 ? undefined : missing;
}

// The generator (scripts/generate-validators.mjs) puts an always-failing marker before each branch
// of an `anyOf`/`oneOf`, so the errors Ajv lists one branch after another can be told apart.
const markerPrefix = 'aicredits-branch:';
const markerNot = /\/(?:anyOf|oneOf)\/\d*[02468]\/not$/;

interface Branch {
  name: string;
  properties: readonly string[];
  nodes: IssueNode[];
}
type IssueNode = { issue: ValidationIssue } | { choice: ValidationIssue; branches: Branch[] };

function marker(issue: ValidationIssue): { occurrence: string; name: string; properties: string[] } | undefined {
  const value = issue.params['allowedValue'];
  if (issue.keyword !== 'const' || typeof value !== 'string' || !value.startsWith(markerPrefix)) return undefined;
  const [occurrence = '', , name = '', properties = ''] = value.slice(markerPrefix.length).split(':');
  return {
    occurrence,
    name: decodeURIComponent(name),
    properties: properties === '' ? [] : properties.split(',').map(decodeURIComponent),
  };
}

/** Ajv's flat list as a tree: each failed `anyOf`/`oneOf` with the issues of each of its branches. */
function issueTree(issues: readonly ValidationIssue[]): IssueNode[] {
  const root: IssueNode[] = [];
  const open: { occurrence: string; instancePath: string; branches: Branch[]; outer: IssueNode[] }[] = [];
  let current = root;
  for (const issue of issues) {
    const found = marker(issue);
    if (found !== undefined) {
      let group = open.at(-1);
      if (group === undefined || group.occurrence !== found.occurrence || group.instancePath !== issue.instancePath) {
        group = { occurrence: found.occurrence, instancePath: issue.instancePath, branches: [], outer: current };
        open.push(group);
      }
      const branch: Branch = { name: found.name, properties: found.properties, nodes: [] };
      group.branches.push(branch);
      current = branch.nodes;
      continue;
    }
    if (issue.keyword === 'not' && markerNot.test(issue.schemaPath ?? '')) continue;
    const group = open.at(-1);
    if ((issue.keyword === 'anyOf' || issue.keyword === 'oneOf') && group?.instancePath === issue.instancePath) {
      open.pop();
      current = group.outer;
      current.push({ choice: issue, branches: group.branches });
      continue;
    }
    current.push({ issue });
  }
  return root;
}

/**
 * The issues that matter: under each failed `anyOf`/`oneOf`, only those of the branch the body
 * nearly matched: the one that shares the most properties with it, then the one with the fewest
 * issues, then the one whose issues lie deepest (it got furthest into the body).
 */
export function nearestIssues(issues: readonly ValidationIssue[], body: unknown): NearestIssues {
  const branches: NearestIssues['branches'] = [];
  const flatten = (nodes: readonly IssueNode[]): ValidationIssue[] =>
    nodes.flatMap((node) => {
      if ('issue' in node) return [node.issue];
      const candidates = node.branches.map((branch) => {
        const inner: NearestIssues['branches'] = [];
        const found = flattenInto(branch.nodes, inner);
        return { branch, found, inner };
      });
      // A oneOf that more than one branch matches: no branch is nearer than another.
      if (
        Array.isArray(node.choice.params['passingSchemas']) ||
        candidates.some((candidate) => candidate.found.length === 0)
      ) {
        return [node.choice];
      }
      const value = valueAt(body, node.choice.instancePath);
      const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
      const score = (candidate: (typeof candidates)[number]) => ({
        shared: keys.filter((key) => candidate.branch.properties.includes(key)).length,
        count: candidate.found.length,
        deepest: Math.max(...candidate.found.map((issue) => depth(issue.instancePath))),
      });
      let best = candidates[0]!;
      for (const candidate of candidates.slice(1)) {
        const [a, b] = [score(candidate), score(best)];
        if (
          a.shared > b.shared ||
          (a.shared === b.shared && (a.count < b.count || (a.count === b.count && a.deepest > b.deepest)))
        ) {
          best = candidate;
        }
      }
      branches.push({ path: toJsonPath(node.choice.instancePath), name: best.branch.name }, ...best.inner);
      return best.found;
    });
  const flattenInto = (nodes: readonly IssueNode[], into: NearestIssues['branches']): ValidationIssue[] => {
    const before = branches.length;
    const found = flatten(nodes);
    into.push(...branches.splice(before));
    return found;
  };
  return { issues: flatten(issueTree(issues)), branches };
}

function depth(instancePath: string): number {
  return instancePath === '' ? 0 : instancePath.split('/').length;
}

function segments(instancePath: string): string[] {
  return instancePath === ''
    ? []
    : instancePath
        .slice(1)
        .split('/')
        .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function toJsonPath(instancePath: string): string {
  return segments(instancePath).reduce(
    (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`),
    '$',
  );
}

function valueAt(body: unknown, instancePath: string): unknown {
  let value = body;
  for (const segment of segments(instancePath)) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return value;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}
