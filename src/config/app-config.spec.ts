import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigError } from './app-config';

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
      new AppConfig({
        SESSION_SECRET: 's',
        DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/test',
        DATABASE_POOL_SIZE: '4',
      }).database,
    ).toEqual({
      type: 'postgres',
      url: 'postgres://u:p@127.0.0.1:5432/test',
      poolSize: 4,
    });
  });

  it('needs a PostgreSQL pool of two connections at least, and names the variable', () => {
    expect(
      () =>
        new AppConfig({
          SESSION_SECRET: 's',
          DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/test',
          DATABASE_POOL_SIZE: '1',
        }),
    ).toThrow(
      new ConfigError('DATABASE_POOL_SIZE must be a whole number from 2 to 1000000, got "1"'),
    );
  });

  it.each([
    ['postgres://user:hunter2@[bad', 'postgres://user:***@[bad'],
    ['mysql://root:hunter2@db/x', 'mysql://root:***@db/x'],
    ['sqlite:', 'sqlite:'],
  ])('refuses DATABASE_URL=%s without echoing a password', (url, shown) => {
    expect(() => new AppConfig({ SESSION_SECRET: 's', DATABASE_URL: url })).toThrow(
      new ConfigError(`DATABASE_URL must be sqlite:<path> or a postgres:// URL, got "${shown}"`),
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

  it('keeps sessions in the database unless REDIS_URL is set', () => {
    expect(new AppConfig({ SESSION_SECRET: 's', DATABASE_URL: sqlite }).redisUrl).toBeUndefined();
    expect(
      new AppConfig({
        SESSION_SECRET: 's',
        DATABASE_URL: sqlite,
        REDIS_URL: 'redis://cache:6379/2',
      }).redisUrl,
    ).toBe('redis://cache:6379/2');
  });

  it.each(['cache:6379', 'http://cache:6379', 'redis//cache'])(
    'refuses the REDIS_URL %s with one clear line',
    (value) => {
      expect(
        () => new AppConfig({ SESSION_SECRET: 's', DATABASE_URL: sqlite, REDIS_URL: value }),
      ).toThrow(new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${value}"`));
    },
  );

  it('runs one cluster process per CPU unless WEB_CONCURRENCY says otherwise', () => {
    const env = { SESSION_SECRET: 's', DATABASE_URL: sqlite };
    expect(new AppConfig(env).webConcurrency).toBe(availableParallelism());
    expect(new AppConfig({ ...env, WEB_CONCURRENCY: '4' }).webConcurrency).toBe(4);
    for (const value of ['0', '-1', 'two', '2.5', '1000'])
      expect(() => new AppConfig({ ...env, WEB_CONCURRENCY: value })).toThrow(
        new ConfigError(`WEB_CONCURRENCY must be a whole number from 1 to 256, got "${value}"`),
      );
  });

  it('links mails and QR codes to PUBLIC_URL, or to this port on localhost', () => {
    const env = { SESSION_SECRET: 's', DATABASE_URL: sqlite };
    expect(new AppConfig({ ...env, PORT: '4000' }).publicUrl).toBe('http://localhost:4000');
    expect(new AppConfig({ ...env, PUBLIC_URL: 'https://tickets.example.org/' }).publicUrl).toBe(
      'https://tickets.example.org',
    );
    for (const value of ['tickets.example.org', 'ftp://example.org', 'https://x.org/?a=1'])
      expect(() => new AppConfig({ ...env, PUBLIC_URL: value })).toThrow(
        new ConfigError(
          `PUBLIC_URL must be an http:// or https:// URL without query, e.g. https://tickets.example.org, got "${value}"`,
        ),
      );
  });

  it('rate-limits as PRODUCT.md says unless told otherwise', () => {
    const env = { SESSION_SECRET: 's', DATABASE_URL: sqlite };
    expect(new AppConfig(env).rateLimits).toEqual({
      loginFailuresPerAccount: 5,
      authAttemptsPerIp: 100,
      authWindowMs: 15 * 60_000,
      apiRequestsPerMinute: 600,
      purchasesPerIpPerMinute: 20,
      eventsPerOrganiserPerHour: 60,
    });
    expect(
      new AppConfig({ ...env, LOGIN_FAILURES_PER_ACCOUNT: '3', PURCHASES_PER_IP_PER_MINUTE: '30' })
        .rateLimits,
    ).toMatchObject({ loginFailuresPerAccount: 3, purchasesPerIpPerMinute: 30 });
  });

  it.each([
    ['LOGIN_FAILURES_PER_ACCOUNT', '0'],
    ['AUTH_ATTEMPTS_PER_IP', 'many'],
    ['AUTH_WINDOW_MINUTES', '-5'],
    ['API_REQUESTS_PER_MINUTE', '1.5'],
    ['PURCHASES_PER_IP_PER_MINUTE', '2000000'],
  ])('refuses %s=%s with one clear line', (name, value) => {
    expect(
      () => new AppConfig({ SESSION_SECRET: 's', DATABASE_URL: sqlite, [name]: value }),
    ).toThrow(ConfigError);
  });

  describe('mail', () => {
    const env = { SESSION_SECRET: 's', DATABASE_URL: sqlite };

    it('writes mails as files to outbox/ beside the SQLite database unless told otherwise', () => {
      const { mail } = new AppConfig(env);
      expect(mail.smtpUrl).toBeUndefined();
      expect(mail.outboxDir).toBe(join(dir, 'outbox'));
      expect(new AppConfig({ ...env, OUTBOX_DIR: join(dir, 'mails') }).mail.outboxDir).toBe(
        join(dir, 'mails'),
      );
    });

    it('sends through SMTP_URL when it is an smtp:// or smtps:// URL', () => {
      for (const url of ['smtp://127.0.0.1:2525', 'smtps://user:pass@mail.example.org:465'])
        expect(new AppConfig({ ...env, SMTP_URL: url }).mail.smtpUrl).toBe(url);
    });

    it.each(['mail.example.org:587', 'http://mail.example.org', 'smtp://'])(
      'refuses the SMTP_URL %s with one clear line',
      (value) => {
        expect(() => new AppConfig({ ...env, SMTP_URL: value })).toThrow(
          new ConfigError(
            `SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587, got "${value}"`,
          ),
        );
      },
    );

    it('does not echo the SMTP password when refusing SMTP_URL', () => {
      expect(() => new AppConfig({ ...env, SMTP_URL: 'imap://user:hunter2@mail' })).toThrow(
        /got "imap:\/\/user:\*\*\*@mail"$/,
      );
    });

    it('refuses an OUTBOX_DIR that is a file', () => {
      const file = join(dir, 'not-a-directory');
      writeFileSync(file, '');
      expect(() => new AppConfig({ ...env, OUTBOX_DIR: file })).toThrow(
        new ConfigError(`OUTBOX_DIR must be a directory, got "${file}"`),
      );
    });

    it('sends from no-reply at the public host with the site name, or from MAIL_FROM', () => {
      expect(
        new AppConfig({ ...env, PUBLIC_URL: 'https://tickets.example.org' }).mail.from,
      ).toEqual({ address: 'no-reply@tickets.example.org' });
      expect(
        new AppConfig({ ...env, MAIL_FROM: 'Jazz Club <tickets@example.org>' }).mail.from,
      ).toEqual({ name: 'Jazz Club', address: 'tickets@example.org' });
      expect(new AppConfig({ ...env, MAIL_FROM: 'tickets@example.org' }).mail.from).toEqual({
        address: 'tickets@example.org',
      });
    });

    it.each(['Jazz Club', 'a@b@c', 'Evil\r\nBcc: x@y.z <a@b.c>'])(
      'refuses the MAIL_FROM %j with one clear line',
      (value) => {
        expect(() => new AppConfig({ ...env, MAIL_FROM: value })).toThrow(
          /^MAIL_FROM must be an address or "Name <address>"/,
        );
      },
    );

    it('retries a failed mail after 30 s first, or after MAIL_RETRY_BASE_MS', () => {
      expect(new AppConfig(env).mail.retryBaseMs).toBe(30_000);
      expect(new AppConfig({ ...env, MAIL_RETRY_BASE_MS: '200' }).mail.retryBaseMs).toBe(200);
      expect(() => new AppConfig({ ...env, MAIL_RETRY_BASE_MS: 'soon' })).toThrow(
        new ConfigError(
          'MAIL_RETRY_BASE_MS must be a whole number from 100 to 3600000, got "soon"',
        ),
      );
    });
  });
});
