import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding `views/` and `public/`, whether running from `src/` (tests) or `dist/src/` (built). */
function findProjectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'views'))) return dir;
  }
  throw new Error(`cannot find the project root above ${from}`);
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
