import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { Environment, ENVIRONMENT_VARIABLES } from './environment';

/** The README's configuration table: each variable it names, with the text of its default cell. */
function readmeConfigurationTable(): Map<string, string> {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = /\n## Configuration\n([\s\S]*?)\n## /.exec(readme)![1];
  const rows = new Map<string, string>();
  for (const line of section.split('\n').filter((row) => /^\| `[A-Z_]+`/.test(row))) {
    const [names, defaultCell] = line.split('|').slice(1, 3);
    for (const [, name] of names.matchAll(/`([A-Z_]+)`/g)) rows.set(name, defaultCell.trim());
  }
  return rows;
}

describe('the README’s configuration table', () => {
  const table = readmeConfigurationTable();
  const defaults = new Environment() as unknown as Record<string, string | number | boolean>;

  it('lists exactly the variables the app reads', () => {
    expect([...table.keys()].sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
  });

  it.each([...ENVIRONMENT_VARIABLES])('gives the default of %s as the app has it', (name) => {
    const given = defaults[name];
    if (given === undefined) {
      // Unset, or worked out at start-up: said in words, not as a value.
      expect(table.get(name)).not.toMatch(/^`/);
    } else {
      expect(table.get(name)).toMatch(new RegExp(`^\`${String(given)}\``));
    }
  });
});
