/**
 * A posted list of values as the form parser leaves it, in order: `a[]=1&a[]=2` (`{0: ['1', '2']}`),
 * `a=1&a=2` (`['1', '2']`), numbered `a[0]=1` (`{0: '1'}`), or past qs's array limit an object
 * of numbered values. One value is a list of one.
 */
export function postedList(value: unknown): unknown[] {
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(postedList);
  return [value];
}
