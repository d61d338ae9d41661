// Reads a V8 .cpuprofile (from `node --cpu-prof`) into self and total time per function and per
// area (our packages, openapi-fetch, undici, Node internals, GC, …).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { builtInProviderPackages } from '../../built-in-providers.mjs';

const providerFolders = builtInProviderPackages.map(({ folder }) => basename(folder));

const providerDist = new RegExp(`packages/(${providerFolders.join('|')})/dist`);
const oursDist = new RegExp(`packages/(core|aicredits|${providerFolders.join('|')})/dist|openapi-fetch`);

export function areaOf(url, functionName) {
  if (url === '' || url === undefined) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return 'native';
  }
  if (/packages\/core\/dist/.test(url)) return 'aicredits core';
  if (providerDist.test(url)) return 'aicredits provider';
  if (/packages\/aicredits\/dist/.test(url)) return 'aicredits facade';
  if (/openapi-fetch/.test(url)) return 'openapi-fetch';
  if (/scripts\/bench/.test(url)) return 'benchmark loop';
  if (/undici/.test(url)) return 'undici (fetch, Request, Response)';
  if (/node:internal\/(webstreams|abort_controller|event_target|encoding|url|timers)/.test(url)) {
    return `node: ${/node:internal\/([\w]+)/.exec(url)[1]}`;
  }
  if (url.startsWith('node:')) return 'node: other';
  return 'other';
}

const shortUrl = (url) =>
  url.replace(/^file:\/\/.*?\/(packages|node_modules|scripts)\//, '$1/').replace(/^node:internal\//, 'node:');

export function analyzeProfile(file, { top = 15 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  const totalUs = profile.endTime - profile.startTime;
  const keyOf = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
  };
  const functions = new Map();
  const areas = new Map();
  // Inclusive time: a frame's own samples plus its descendants', counted once per call path.
  const inclusive = new Map();
  const visit = (node, onStack) => {
    const key = keyOf(node);
    let subtotal = selfUs.get(node.id) ?? 0;
    const nested = new Set(onStack);
    nested.add(key);
    for (const childId of node.children ?? []) subtotal += visit(byId.get(childId), nested);
    if (!onStack.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + subtotal);
    return subtotal;
  };
  for (const node of profile.nodes) {
    const self = selfUs.get(node.id) ?? 0;
    const key = keyOf(node);
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    const entry = functions.get(key) ?? { frame: key, area, selfUs: 0 };
    entry.selfUs += self;
    functions.set(key, entry);
    areas.set(area, (areas.get(area) ?? 0) + self);
  }
  visit(byId.get(profile.nodes[0].id), new Set());
  const busyUs = totalUs - (areas.get('idle') ?? 0);
  const percent = (us) => Math.round((us / busyUs) * 1000) / 10;
  return {
    sampledMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    areas: [...areas.entries()]
      .filter(([area]) => area !== 'idle')
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), percent: percent(us) }))
      .sort((a, b) => b.selfMs - a.selfMs),
    topSelf: [...functions.values()]
      .filter((entry) => entry.area !== 'idle')
      .sort((a, b) => b.selfUs - a.selfUs)
      .slice(0, top)
      .map((entry) => ({
        frame: entry.frame,
        area: entry.area,
        selfMs: Math.round(entry.selfUs / 1000),
        percent: percent(entry.selfUs),
      })),
    topInclusiveOurs: [...inclusive.entries()]
      .filter(([key]) => oursDist.test(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, us]) => ({ frame, totalMs: Math.round(us / 1000), percent: percent(us) })),
  };
}
