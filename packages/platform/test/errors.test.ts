import assert from 'node:assert/strict';
import { ErrorCode } from '@mmo/shared';
import request from 'supertest';
import { z } from 'zod';
import { openDatabase } from '../src/db/database.js';
import { DomainError, httpStatusByCode, parseInput } from '../src/errors.js';
import { createHttpApp, finishHttpApp } from '../src/http/app.js';
import { Prisma } from '../src/generated/prisma/client.js';
import { createSilentLogger } from '../src/logger.js';

describe('errors at the HTTP edge', () => {
  const app = createHttpApp({ trustProxy: 'loopback' });
  app.post('/echo', (req, res) => {
    res.json(parseInput(z.object({ name: z.string().min(3) }), req.body));
  });
  app.get('/domain', () => {
    throw new DomainError(ErrorCode.RATE_LIMITED, 'slow down', { retryAfterSeconds: 7 });
  });
  app.get('/bug', async () => {
    throw new Error('SELECT * FROM accounts failed: password_hash');
  });
  finishHttpApp(app, createSilentLogger());

  it('gives every error code an HTTP status in the 4xx or 5xx range', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = httpStatusByCode[code];
      assert.ok(status >= 400 && status < 600, `${code} has status ${status}`);
    }
  });

  it('answers 400 VALIDATION_FAILED naming the field when the body is invalid', async () => {
    const res = await request(app).post('/echo').send({ name: 'x' }).expect(400);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.match(res.body.message, /^name: /);
    assert.deepEqual(res.body.fields.map((f: { field: string }) => f.field), ['name']);
  });

  it('says "is required" only for a missing field, and the type problem for a wrong one', async () => {
    const missing = await request(app).post('/echo').send({}).expect(400);
    assert.equal(missing.body.message, 'name: is required');
    const wrong = await request(app).post('/echo').send({ name: 42 }).expect(400);
    assert.doesNotMatch(wrong.body.message, /required/);
  });

  it('answers 400 VALIDATION_FAILED when the body is not JSON', async () => {
    const res = await request(app).post('/echo').set('content-type', 'application/json').send('{nope').expect(400);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
  });

  it('answers 413 PAYLOAD_TOO_LARGE when the body exceeds the limit', async () => {
    const res = await request(app).post('/echo').send({ name: 'x'.repeat(20_000) }).expect(413);
    assert.equal(res.body.code, 'PAYLOAD_TOO_LARGE');
  });

  it('maps a DomainError to its status and sends Retry-After when it carries one', async () => {
    const res = await request(app).get('/domain').expect(429);
    assert.deepEqual(res.body, { code: 'RATE_LIMITED', message: 'slow down' });
    assert.equal(res.headers['retry-after'], '7');
  });

  it('answers 500 INTERNAL without internal text when a handler fails unexpectedly', async () => {
    const res = await request(app).get('/bug').expect(500);
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
    assert.equal(res.body.code, 'INTERNAL');
    assert.doesNotMatch(JSON.stringify(res.body), /SELECT|password|at /);
  });

  it('answers 503 SERVICE_UNAVAILABLE, not 500, when the database cannot be reached', async () => {
    // Nothing listens on port 1: the database is down.
    const db = await openDatabase({ kind: 'postgres', url: 'postgresql://postgres@127.0.0.1:1/none' });
    const outageApp = createHttpApp({ trustProxy: 'loopback' });
    outageApp.get('/accounts', async (_req, res) => void res.json(await db.prisma.account.findFirst()));
    finishHttpApp(outageApp, createSilentLogger());
    try {
      const res = await request(outageApp).get('/accounts').expect(503);
      assert.equal(res.body.code, 'SERVICE_UNAVAILABLE');
    } finally {
      await db.close();
    }
  });

  it('answers 503 with Retry-After, not 500, when the database is too busy for a transaction', async () => {
    const busyApp = createHttpApp({ trustProxy: 'loopback' });
    for (const code of ['P2024', 'P2028']) {
      busyApp.get(`/${code}`, async () => {
        throw new Prisma.PrismaClientKnownRequestError('Transaction API error: Unable to start a transaction in the given time.', { code, clientVersion: 'test' });
      });
    }
    finishHttpApp(busyApp, createSilentLogger());
    for (const code of ['P2024', 'P2028']) {
      const res = await request(busyApp).get(`/${code}`).expect(503);
      assert.equal(res.body.code, 'SERVICE_UNAVAILABLE');
      assert.equal(res.headers['retry-after'], '1');
      assert.doesNotMatch(res.body.message, /Transaction API/);
    }
  });

  it('answers 404 NOT_FOUND for an unknown route', async () => {
    const res = await request(app).get('/nowhere').expect(404);
    assert.equal(res.body.code, 'NOT_FOUND');
  });
});
