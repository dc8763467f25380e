import request from 'supertest';
import { SESSION_COOKIE } from '../../src/auth/session/session-store.provider';
import { formEncoded, type FormFields, type TestApp } from './test-app';

/**
 * A browser whose requests may land on any of several app processes, as behind a load
 * balancer: it keeps its session cookie itself and sends it to whichever app it is given.
 */
export class RoamingBrowser {
  private cookie = '';

  async get(target: TestApp, path: string) {
    return this.keepCookie(
      await request(target.app.getHttpServer()).get(path).set('Cookie', this.cookie),
    );
  }

  async post(target: TestApp, path: string, fields: FormFields) {
    return this.keepCookie(
      await request(target.app.getHttpServer())
        .post(path)
        .set('Cookie', this.cookie)
        .type('form')
        .send(formEncoded(fields)),
    );
  }

  private keepCookie<T extends request.Response>(res: T): T {
    const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const session = setCookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
    if (session) this.cookie = session.split(';')[0];
    return res;
  }
}
