import request from 'supertest';
import { DataSource } from 'typeorm';
import { writerFor } from '../src/database/open-database';
import { startTestApp, TestApp } from './support/test-app';

describe('GET /healthz', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const health = () => request(testApp.app.getHttpServer()).get('/healthz');

  it('answers 200 with the database up', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up' });
  });

  // On SQLite the connection that writes is not the one that reads (on PostgreSQL one pool does both).
  const onSqlite = process.env.TEST_DATABASE !== 'postgres';

  (onSqlite ? it : it.skip)(
    'answers 503 with the database down when the connection that writes is broken',
    async () => {
      await writerFor(testApp.app.get(DataSource)).destroy();
      const res = await health();
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', db: 'down' });
    },
  );
});
