// Summarises a V8 .cpuprofile (node --cpu-prof): where the app's own thread spent its time.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Self time per package or file, largest first, as shares of all samples. */
export function summariseProfiles(dir, top = 15) {
  const totals = new Map();
  let samples = 0;
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the app's own, the rest are
  // worker threads (the mail thread), which have cores of their own to run on.
  const mainThread = (name) => name.split('.')[4] === '0' && name.endsWith('.cpuprofile');
  for (const file of readdirSync(dir).filter(mainThread)) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (!hits) continue;
      samples += hits;
      const where = bucket(node.callFrame);
      totals.set(where, (totals.get(where) ?? 0) + hits);
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, hits]) => ({ where, share: hits / samples }));
}

/** `(idle)`, `(garbage collector)`, a package name, a file of the app, or node's own internals. */
function bucket({ functionName, url }) {
  if (!url) return functionName || '(anonymous)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  const own = /\/dist\/(.*)$/.exec(url);
  return own ? own[1] : url;
}
