import request from 'supertest';
import { nextCookieHeader } from './cookies';
import { formEncoded, type FormFields, type TestApp } from './test-app';

/**
 * A browser whose requests may land on any of several app processes, as behind a load
 * balancer: it keeps its cookies itself and sends them to whichever app it is given.
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
    this.cookie = nextCookieHeader(this.cookie, res.headers['set-cookie']);
    return res;
  }
}
