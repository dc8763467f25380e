import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

/** Every route of the admin API, as PRODUCT.md lists it. */
const API_ROUTES = [
  ['get', '/api/v1/events'],
  ['post', '/api/v1/events'],
  ['get', '/api/v1/events/{id}'],
  ['patch', '/api/v1/events/{id}'],
  ['delete', '/api/v1/events/{id}'],
  ['post', '/api/v1/events/{id}/publish'],
  ['get', '/api/v1/events/{id}/bookings'],
  ['post', '/api/v1/events/{id}/bookings'],
  ['get', '/api/v1/bookings/{reference}'],
  ['post', '/api/v1/bookings/{reference}/cancel'],
  ['get', '/api/v1/users'],
  ['get', '/api/v1/settings'],
  ['put', '/api/v1/settings'],
  ['get', '/api/v1/stats'],
  ['get', '/api/v1/events/{id}/vouchers'],
  ['post', '/api/v1/events/{id}/vouchers'],
  ['delete', '/api/v1/vouchers/{id}'],
  ['get', '/api/v1/events/{id}/waiting-list'],
];

describe('OpenAPI document', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('is served as JSON at /api/docs-json and declares bearer auth', async () => {
    const res = await request(testApp.app.getHttpServer()).get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it.each(API_ROUTES)('documents %s %s', async (method, path) => {
    const res = await request(testApp.app.getHttpServer()).get('/api/docs-json');
    expect(res.body.paths[path]?.[method]).toBeDefined();
  });

  it('documents the API only, not the HTML pages', async () => {
    const res = await request(testApp.app.getHttpServer()).get('/api/docs-json');
    expect(Object.keys(res.body.paths).every((path) => path.startsWith('/api/v1/'))).toBe(true);
  });

  it('serves the interactive documentation at /api/docs', async () => {
    const res = await request(testApp.app.getHttpServer()).get('/api/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});

describe('OpenAPI error responses', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it.each(API_ROUTES)(
    'documents 400, 401, 403 and 404 as problem+json for %s %s',
    async (method, path) => {
      const res = await request(testApp.app.getHttpServer()).get('/api/docs-json');
      const responses = res.body.paths[path][method].responses as Record<
        string,
        { content: object }
      >;
      for (const status of ['400', '401', '403', '404']) {
        expect(responses[status].content).toHaveProperty('application/problem+json');
      }
    },
  );

  it('documents the 409 of deleting an event with bookings and of booking when sold out', async () => {
    const res = await request(testApp.app.getHttpServer()).get('/api/docs-json');
    expect(res.body.paths['/api/v1/events/{id}'].delete.responses['409']).toBeDefined();
    expect(res.body.paths['/api/v1/events/{id}/bookings'].post.responses['409']).toBeDefined();
  });
});

describe('OpenAPI success responses', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it.each(API_ROUTES)('documents the success response of %s %s', async (method, path) => {
    const res = await request(testApp.app.getHttpServer()).get('/api/docs-json');
    const responses = res.body.paths[path][method].responses as Record<string, unknown>;
    expect(Object.keys(responses).some((status) => /^2\d\d$/.test(status))).toBe(true);
  });

  it('resolves every schema reference in the document', async () => {
    const res = await request(testApp.app.getHttpServer()).get('/api/docs-json');
    const refs = JSON.stringify(res.body).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    for (const ref of new Set(refs)) {
      expect(res.body.components.schemas).toHaveProperty(ref.split('/').pop()!);
    }
  });
});
