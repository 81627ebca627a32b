import { DomainError } from '@mmo/platform';
import { createTestInfra, testSigningKey, type TestStack } from '@mmo/platform/testing';
import type { Express } from 'express';
import request from 'supertest';
import { primarySettingsSchema } from '../src/primary/config.js';
import { createPrimaryApp, createPrimaryDeps, type PrimaryDeps } from '../src/primary/primary.app.js';

/** Production settings with cheap hashing and roomy limits, unless a test says otherwise. */
export function testSettings(overrides: Record<string, string> = {}) {
  return primarySettingsSchema.parse({
    PASSWORD_HASH_COST: '10',
    LOGIN_RATE_LIMIT_PER_IP: '10000',
    LOGIN_FAILURES_PER_ACCOUNT: '10000',
    LOGIN_FAILURES_PER_ACCOUNT_IP: '10000',
    REFRESH_RATE_LIMIT_PER_IP: '10000',
    ENTER_WORLD_RATE_LIMIT_PER_ACCOUNT: '10000',
    REGISTER_RATE_LIMIT_PER_IP: '10000',
    ...overrides,
  });
}

export interface PrimaryFixture {
  app: Express;
  deps: PrimaryDeps;
  stop(): Promise<void>;
}

/** The primary server as one process of the given stack. */
export async function startPrimary(
  stack: TestStack,
  overrides: Record<string, string> = {},
  reserveSeat: PrimaryDeps['reserveSeat'] = noGameServers,
): Promise<PrimaryFixture> {
  const infra = await createTestInfra(stack);
  const deps = createPrimaryDeps(infra, testSettings(overrides), reserveSeat, testSigningKey);
  return { app: createPrimaryApp(deps, { trustProxy: 'loopback' }), deps, stop: infra.stop };
}

/** Auth tests run without game servers: entering the world answers as it would with none up. */
async function noGameServers(): Promise<never> {
  throw new DomainError('SERVICE_UNAVAILABLE', 'No game server is running.');
}

let counter = 0;
/** A username no other test uses. */
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}`;
}

export const PASSWORD = 'correct horse battery';

export async function registerAndLogin(app: Express, username = uniqueName()) {
  await request(app).post('/auth/register').send({ username, password: PASSWORD }).expect(201);
  const res = await request(app).post('/auth/login').send({ username, password: PASSWORD }).expect(200);
  return { username, ...(res.body as { accessToken: string; refreshToken: string; expiresIn: number }) };
}
