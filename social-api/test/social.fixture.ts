import { randomBytes } from 'node:crypto';
import type { ServiceInfra } from '@mmo/platform';
import { AccessTokenSigner } from '@mmo/platform';
import { createTestInfra, createTestPlayer, testSigningKey, testStacks, waitUntil, type TestStack } from '@mmo/platform/testing';
import { CHARACTER_HEADER, normalizeName, type AreaId, type BusEvent, type Delivery, type Notification } from '@mmo/shared';
import type { Express } from 'express';
import request from 'supertest';
import { socialSettingsSchema, type SocialSettings } from '../src/config.js';
import { createSocialApp } from '../src/social.app.js';
import { createSocialDeps, type SocialDeps } from '../src/social.deps.js';
import { startSocialListeners } from '../src/social.listeners.js';

export { testStacks };

/** The social API in this process on one test stack (routes and bus listeners), and what it published on the bus. */
export interface SocialFixture {
  stack: TestStack;
  infra: ServiceInfra & { stop(): Promise<void> };
  deps: SocialDeps;
  app: Express;
  /** Every `social.deliver` event seen on the bus since the fixture started. */
  deliveries: BusEvent<'social.deliver'>[];
  stop(): Promise<void>;
}

export async function startSocial(stack: TestStack, overrides: Partial<Record<keyof SocialSettings, string>> = {}): Promise<SocialFixture> {
  const infra = await createTestInfra(stack);
  const deps = createSocialDeps(infra, socialSettingsSchema.parse(overrides));
  const stopListening = await startSocialListeners(deps);
  const deliveries: BusEvent<'social.deliver'>[] = [];
  // A second "process" listening, as a game server would.
  const listener = await stack.createBus();
  const unsubscribe = await listener.subscribe('social.deliver', (event) => {
    deliveries.push(event);
  });
  return {
    stack,
    infra,
    deps,
    app: createSocialApp(deps, { trustProxy: 'loopback' }),
    deliveries,
    async stop() {
      await unsubscribe();
      await stopListening();
      await infra.stop();
    },
  };
}

let counter = 0;
/** A unique character name: letters only. */
export function uniqueName(prefix = 'Hero'): string {
  counter += 1;
  const letters = `${randomBytes(3).toString('hex')}${counter}`.replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)));
  return `${prefix}${letters}`.slice(0, 16);
}

/** A test character with an account and a token, and a way to call the API as it. */
export interface SocialPlayer {
  id: string;
  name: string;
  accountId: string;
  token: string;
  call(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: unknown): request.Test;
  /** Marks the character online in an area, as a game room would. */
  goOnline(area?: AreaId): Promise<void>;
}

export async function createSocialPlayer(fixture: SocialFixture, options: { name?: string; level?: number; moderator?: boolean } = {}): Promise<SocialPlayer> {
  const player = await createTestPlayer(fixture.infra);
  let token = player.accessToken;
  if (options.moderator) {
    await fixture.infra.prisma.account.update({ where: { id: player.accountId }, data: { role: 'moderator' } });
    // The role travels in the token, as the primary signs it at login.
    token = (await new AccessTokenSigner(testSigningKey, 900).sign({ accountId: player.accountId, sessionId: player.sessionId, role: 'moderator' })).token;
  }
  const name = options.name ?? uniqueName();
  const character = await fixture.infra.prisma.character.create({
    data: { accountId: player.accountId, name, nameKey: normalizeName(name), class: 'warrior', level: options.level ?? 1, area: 'town', x: 5, y: 5 },
  });
  return {
    id: character.id,
    name,
    accountId: player.accountId,
    token,
    call(method, path, body) {
      const req = request(fixture.app)[method](path).set('authorization', `Bearer ${token}`).set(CHARACTER_HEADER, character.id);
      return body === undefined ? req : req.send(body as object);
    },
    async goOnline(area = 'town') {
      await fixture.infra.online.put({ characterId: character.id, name, area, roomId: 'room', sessionId: character.id, since: Date.now() }, 60);
    },
  };
}

/** Waits for a notification of `type` published to `characterId`, and returns it. */
export async function nextNotification<T extends Notification['type']>(
  fixture: SocialFixture,
  characterId: string,
  type: T,
  after = 0,
): Promise<Extract<Notification, { type: T }>> {
  let found: Notification | undefined;
  await waitUntil(() => {
    found = fixture.deliveries
      .slice(after)
      .filter((event) => event.characterIds.includes(characterId))
      .map((event) => event.delivery)
      .filter((delivery): delivery is Extract<Delivery, { kind: 'notify' }> => delivery.kind === 'notify')
      .map((delivery) => delivery.notification)
      .find((notification) => notification.type === type);
    return found !== undefined;
  }, 3000);
  return found as Extract<Notification, { type: T }>;
}
