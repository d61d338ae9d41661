import { createRequire, Module } from 'node:module';

/**
 * Prism's schema generator (prism-http's mocker/generator/JSONSchema.js) requires
 * `@faker-js/faker` as soon as prism-http loads: every locale, about 2,000 files and 50 MB of
 * RSS, half of the mock's start-up. It hands faker to json-schema-faker, which calls it only
 * for a schema with an `x-faker` keyword in a dynamic answer; answers from examples never do.
 *
 * So, before prism-http loads, a stand-in goes into the CommonJS module cache where Prism's
 * `require` finds it. Its `default` (what Prism reads) is a proxy that loads the real faker on
 * first use and forwards to it from then on; the real module then takes the stand-in's place in
 * the cache. Nothing changes for an answer that uses faker, except when faker is loaded.
 */
export function deferFaker(): void {
  const requireFromPrism = createRequire(createRequire(import.meta.url).resolve('@stoplight/prism-http'));
  let fakerPath: string;
  try {
    fakerPath = requireFromPrism.resolve('@faker-js/faker');
  } catch {
    return; // A Prism that no longer depends on faker needs nothing deferred.
  }
  const cache = requireFromPrism.cache;
  if (cache[fakerPath] !== undefined) return; // Loaded already (or deferred by an earlier call).

  let real: Record<PropertyKey, unknown> | undefined;
  const standIn = new Module(fakerPath);
  const load = (): Record<PropertyKey, unknown> => {
    if (real === undefined) {
      if (cache[fakerPath] === standIn) delete cache[fakerPath];
      real = requireFromPrism(fakerPath) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const forwardTo = (target: () => object): ProxyHandler<object> => ({
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may not report a property its (empty) target lacks as non-configurable.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  });
  const faker = new Proxy(
    {},
    forwardTo(() => load().default as object),
  );
  standIn.filename = fakerPath;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    {
      ...forwardTo(load),
      get: (_, key) =>
        key === 'default' || key === 'faker' ? faker : key === '__esModule' ? true : Reflect.get(load(), key),
    },
  );
  cache[fakerPath] = standIn;
}
