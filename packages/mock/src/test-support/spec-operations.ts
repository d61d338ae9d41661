import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import { specFilePath } from '../embedded-specs-directory.js';
import type { MockProviderId } from '../mock-provider-id.js';

/** One operation of a spec, turned into a request a test can send to its mock. */
export interface SpecOperation {
  readonly provider: MockProviderId;
  readonly operationName: string;
  readonly method: string;
  /** Path with its parameters filled from the spec's examples, plus required query parameters. */
  readonly requestPath: string;
  /** Headers satisfying the operation's first security requirement; empty when none is needed. */
  readonly authenticationHeaders: Readonly<Record<string, string>>;
  readonly requiresAuthentication: boolean;
  readonly successStatus: number;
  /** Named examples of the success response, in spec order; Prism serves the first by default. */
  readonly successExamples: ReadonlyArray<readonly [name: string, value: unknown]>;
  /** Every explicit status code the operation declares (ranges such as 4XX and `default` excluded). */
  readonly declaredStatuses: readonly number[];
}

type Node = Record<string, unknown>;

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const testCredential = 'test-credential';

// Read with a plain YAML parser rather than through Prism, so the tests compare Prism's answers
// with the spec itself instead of with Prism's own reading of it.
export function readSpecOperations(specsDirectory: string, provider: MockProviderId): SpecOperation[] {
  const document = parse(readFileSync(specFilePath(specsDirectory, provider), 'utf8')) as Node;
  const resolve = (node: unknown): Node => resolveReference(document, node);
  const operations: SpecOperation[] = [];
  for (const [path, pathItemNode] of Object.entries(asNode(document['paths']))) {
    const pathItem = resolve(pathItemNode);
    for (const method of httpMethods.filter((candidate) => candidate in pathItem)) {
      const operation = resolve(pathItem[method]);
      const parameters = [...asArray(pathItem['parameters']), ...asArray(operation['parameters'])].map(resolve);
      const responses = asNode(operation['responses']);
      const declaredStatuses = Object.keys(responses)
        .filter((code) => /^\d{3}$/.test(code))
        .map(Number)
        .sort((left, right) => left - right);
      const successStatus = declaredStatuses.find((status) => status >= 200 && status < 300) ?? 200;
      const security = asArray(operation['security'] ?? document['security']).map(asNode);
      operations.push({
        provider,
        operationName: String(operation['operationId'] ?? `${method.toUpperCase()} ${path}`),
        method: method.toUpperCase(),
        requestPath: buildRequestPath(path, parameters),
        authenticationHeaders: authenticationHeadersFor(document, security[0] ?? {}),
        requiresAuthentication:
          security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0),
        successStatus,
        successExamples: jsonExamples(document, resolve(responses[String(successStatus)])),
        declaredStatuses,
      });
    }
  }
  return operations;
}

function buildRequestPath(path: string, parameters: Node[]): string {
  const exampleOf = (parameter: Node): string => {
    const schema = asNode(parameter['schema']);
    const firstExample = Object.values(asNode(parameter['examples'])).map(asNode)[0]?.['value'];
    const example =
      parameter['example'] ?? firstExample ?? schema['example'] ?? asArray(schema['examples'])[0] ?? 'example';
    return String(example);
  };
  const filledPath = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = parameters.find((candidate) => candidate['in'] === 'path' && candidate['name'] === name);
    return encodeURIComponent(parameter ? exampleOf(parameter) : 'example');
  });
  const query = new URLSearchParams(
    parameters
      .filter((parameter) => parameter['in'] === 'query' && parameter['required'] === true)
      .map((parameter) => [String(parameter['name']), exampleOf(parameter)]),
  ).toString();
  return query === '' ? filledPath : `${filledPath}?${query}`;
}

function authenticationHeadersFor(document: Node, requirement: Node): Record<string, string> {
  const schemes = asNode(asNode(document['components'])['securitySchemes']);
  const headers: Record<string, string> = {};
  for (const schemeName of Object.keys(requirement)) {
    const scheme = resolveReference(document, schemes[schemeName]);
    const type = String(scheme['type']).toLowerCase();
    const httpScheme = String(scheme['scheme'] ?? '').toLowerCase();
    if (type === 'apikey' && scheme['in'] === 'header') {
      headers[String(scheme['name']).toLowerCase()] = testCredential;
    } else if (type === 'http' && httpScheme === 'bearer') {
      headers['authorization'] = `Bearer ${testCredential}`;
    } else if (type === 'http' && httpScheme === 'basic') {
      headers['authorization'] = `Basic ${Buffer.from(`user:${testCredential}`).toString('base64')}`;
    } else {
      throw new Error(`The spec tests do not know how to satisfy security scheme ${schemeName} (${type})`);
    }
  }
  return headers;
}

function jsonExamples(document: Node, response: Node): Array<[string, unknown]> {
  const content = asNode(response['content']);
  const mediaType = asNode(content['application/json'] ?? Object.values(content)[0]);
  if ('example' in mediaType) return [['example', mediaType['example']]];
  return Object.entries(asNode(mediaType['examples'])).map(([name, example]) => [
    name,
    resolveReference(document, example)['value'],
  ]);
}

function resolveReference(document: Node, node: unknown): Node {
  let current = asNode(node);
  for (let depth = 0; typeof current['$ref'] === 'string'; depth += 1) {
    const reference = current['$ref'];
    if (!reference.startsWith('#/') || depth > 20) throw new Error(`Cannot follow $ref ${reference}`);
    current = asNode(
      reference
        .slice(2)
        .split('/')
        .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((parent, segment) => asNode(parent)[segment], document),
    );
  }
  return current;
}

function asNode(value: unknown): Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The specs the package embeds at build time; tests read them at the source. */
export const repositorySpecsDirectory: string = fileURLToPath(new URL('../../../../specs/', import.meta.url));
