import { existsSync } from 'node:fs';
import { Worker, WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on `script` (a path without its extension): the built `.js` beside it,
 * or, when the app runs from its TypeScript sources (the tests, which SWC compiles as they
 * load), the `.ts` itself, compiled the same way inside the thread. Tests thus run the thread's
 * code as it is, never a stale build.
 */
export function startWorker(script: string, options: WorkerOptions): Worker {
  if (existsSync(`${script}.js`)) return new Worker(`${script}.js`, options);
  return new Worker(loadingTypeScript(`${script}.ts`), { ...options, eval: true });
}

function loadingTypeScript(file: string): string {
  const swc = require.resolve('@swc/core');
  return `
    const { readFileSync } = require('node:fs');
    const { transformSync } = require(${JSON.stringify(swc)});
    require.extensions['.ts'] = (module, filename) => {
      const { code } = transformSync(readFileSync(filename, 'utf8'), {
        filename,
        module: { type: 'commonjs' },
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(file)});
  `;
}
