import { safeNextPath } from './safe-next-path';

describe('safeNextPath', () => {
  it.each(['/organiser', '/edit-event/3?tab=tickets', '/create-event'])(
    'keeps the same-site path %s',
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    'javascript:alert(1)',
    'organiser',
    '/organiser\r\nSet-Cookie: x=1',
    '',
  ])('refuses %j', (path) => {
    expect(safeNextPath(path)).toBeUndefined();
  });

  it('refuses anything that is not a string', () => {
    expect(safeNextPath(['/organiser'])).toBeUndefined();
    expect(safeNextPath(undefined)).toBeUndefined();
  });
});
