import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

/** One declared response of an operation, read straight from the spec's YAML. */
export interface SpecResponse {
  status: number;
  /** Media types declared for the response, e.g. `['application/json', 'text/plain']`. */
  contentTypes: string[];
  /** The `application/json` example: `example`, else the first of `examples`; `undefined` without one. */
  example: unknown;
  /** The `text/plain` example, for responses that are not (only) JSON; `undefined` without one. */
  textExample: string | undefined;
  /** Named `application/json` examples in spec order (empty when only `example` is given). */
  namedExamples: Array<[name: string, value: unknown]>;
  /** Examples of the declared response headers, by lower-case header name. */
  headerExamples: Record<string, unknown>;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  /** Whether the operation needs credentials: its own `security`, else the document's, is not empty. */
  authenticated: boolean;
  /** Every response with an explicit numeric status, in ascending status order. */
  responses: SpecResponse[];
  /** The responses with a status of 400 or more. */
  errorResponses: SpecResponse[];
  response(status: number): SpecResponse;
}

export interface ProviderSpec {
  document: Record<string, unknown>;
  operations: SpecOperation[];
  operation(operationId: string): SpecOperation;
}

type Node = Record<string, unknown>;

/** The repository's `specs/` directory, the source the validators and the mock are built from. */
export const repositorySpecsDirectory: string = fileURLToPath(new URL('../../../specs/', import.meta.url));

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Reads `<provider>.yaml` with a plain YAML parser (not through Prism), so that tests compare what
 * the mock and the client do with what the spec says. Only local `$ref`s are followed.
 */
export function readProviderSpec(provider: string, specsDirectory: string = repositorySpecsDirectory): ProviderSpec {
  const document = parse(readFileSync(path.join(specsDirectory, `${provider}.yaml`), 'utf8')) as Node;
  const resolve = (node: unknown): Node => resolveReference(document, node);
  const operations: SpecOperation[] = [];
  for (const [operationPath, pathItemNode] of Object.entries(asNode(document['paths']))) {
    const pathItem = resolve(pathItemNode);
    for (const method of httpMethods.filter((candidate) => candidate in pathItem)) {
      const operation = resolve(pathItem[method]);
      const responses = Object.entries(asNode(operation['responses']))
        .filter(([code]) => /^\d{3}$/.test(code))
        .map(([code, response]) => readResponse(document, Number(code), resolve(response)))
        .sort((left, right) => left.status - right.status);
      const operationId = String(operation['operationId'] ?? `${method.toUpperCase()} ${operationPath}`);
      const security = operation['security'] ?? document['security'];
      operations.push({
        operationId,
        method: method.toUpperCase(),
        path: operationPath,
        authenticated:
          Array.isArray(security) && security.some((requirement) => Object.keys(asNode(requirement)).length > 0),
        responses,
        errorResponses: responses.filter((response) => response.status >= 400),
        response(status) {
          const found = responses.find((response) => response.status === status);
          if (found === undefined) throw new Error(`${provider} ${operationId} declares no ${status} response`);
          return found;
        },
      });
    }
  }
  return {
    document,
    operations,
    operation(operationId) {
      const found = operations.find((operation) => operation.operationId === operationId);
      if (found === undefined) throw new Error(`${provider} spec has no operation ${operationId}`);
      return found;
    },
  };
}

function readResponse(document: Node, status: number, response: Node): SpecResponse {
  const content = asNode(response['content']);
  const json = asNode(content['application/json']);
  const text = asNode(content['text/plain']);
  const namedExamples = Object.entries(asNode(json['examples'])).map(([name, example]): [string, unknown] => [
    name,
    resolveReference(document, example)['value'],
  ]);
  const headerExamples: Record<string, unknown> = {};
  for (const [name, header] of Object.entries(asNode(response['headers']))) {
    const resolved = resolveReference(document, header);
    headerExamples[name.toLowerCase()] = resolved['example'] ?? asNode(resolved['schema'])['example'];
  }
  return {
    status,
    contentTypes: Object.keys(content),
    example: 'example' in json ? json['example'] : namedExamples[0]?.[1],
    textExample: typeof text['example'] === 'string' ? text['example'] : undefined,
    namedExamples,
    headerExamples,
  };
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
