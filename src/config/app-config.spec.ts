import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigError, parseDatabaseUrl } from './app-config';

describe('AppConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boxoffice-config-'));
  const sqlite = `sqlite:${join(dir, 'db.sqlite')}`;

  it('defaults to port 3000 and the embedded SQLite file under data/', () => {
    const config = new AppConfig({ SESSION_SECRET: 's' });
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({
      type: 'sqlite',
      path: join(process.cwd(), 'data', 'boxoffice.sqlite'),
    });
  });

  it('generates a session secret once outside production and keeps it beside the database', () => {
    const first = new AppConfig({ DATABASE_URL: sqlite });
    const second = new AppConfig({ DATABASE_URL: sqlite });
    expect(first.sessionSecret).toHaveLength(64);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(readFileSync(join(dir, 'session-secret'), 'utf8')).toBe(first.sessionSecret);
  });

  it('refuses to start in production without SESSION_SECRET', () => {
    expect(() => new AppConfig({ NODE_ENV: 'production', DATABASE_URL: sqlite })).toThrow(
      new ConfigError('SESSION_SECRET is required when NODE_ENV=production'),
    );
  });

  it.each(['abc', '0', '70000', '3000.5'])('refuses PORT=%s', (port) => {
    expect(() => new AppConfig({ PORT: port, SESSION_SECRET: 's', DATABASE_URL: sqlite })).toThrow(
      ConfigError,
    );
  });

  it('accepts PostgreSQL URLs with a pool size', () => {
    expect(
      parseDatabaseUrl('postgres://u:p@127.0.0.1:5432/test', { DATABASE_POOL_SIZE: '4' }),
    ).toEqual({
      type: 'postgres',
      url: 'postgres://u:p@127.0.0.1:5432/test',
      poolSize: 4,
    });
  });

  it('refuses an unknown database without echoing its password', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/x')).toThrow(
      /^DATABASE_URL must start with sqlite: or postgres:\/\/, got "mysql:\/\/root:\*\*\*@db\/x"$/,
    );
  });

  it('needs ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(
      () => new AppConfig({ ADMIN_EMAIL: 'a@b.c', SESSION_SECRET: 's', DATABASE_URL: sqlite }),
    ).toThrow(ConfigError);
  });

  it('refuses an ADMIN_PASSWORD shorter than the password policy allows', () => {
    expect(
      () =>
        new AppConfig({
          ADMIN_EMAIL: 'a@b.c',
          ADMIN_PASSWORD: 'short',
          SESSION_SECRET: 's',
          DATABASE_URL: sqlite,
        }),
    ).toThrow(new ConfigError('ADMIN_PASSWORD must be 10 to 256 characters'));
  });

  it('makes cookies secure behind a trusted proxy', () => {
    const config = new AppConfig({
      TRUST_PROXY: 'true',
      SESSION_SECRET: 's',
      DATABASE_URL: sqlite,
    });
    expect(config.cookieSecure).toBe(true);
  });
});
