import { randomUUID } from 'node:crypto';
import { privateMessageSchema, unreadCountSchema, type PrivateMessage } from '@mmo/shared';
import request from 'supertest';
import { notify } from '../src/features/deliver.js';
import { createSocialPlayer, nextNotification, type SocialFixture, type SocialPlayer } from './social.fixture.js';

/** Messages one sender may send per window in this suite. */
export const RATE_LIMIT = 5;

/** A moderator account's token, and a way to call the API with it (no character header). */
export interface Moderator {
  accountId: string;
  call(method: 'get' | 'post', path: string, body?: unknown): request.Test;
}

/** A moderator account, calling with its token alone (moderator routes need no character). */
export async function createModerator(fixture: SocialFixture): Promise<Moderator> {
  const moderator = await createSocialPlayer(fixture, { moderator: true });
  return {
    accountId: moderator.accountId,
    call(method, path, body) {
      const req = request(fixture.app)[method](path).set('authorization', `Bearer ${moderator.token}`);
      return body === undefined ? req : req.send(body as object);
    },
  };
}

/** Every `message.received` pushed to a character since `mark`, in publishing order. */
export function pushedTo(fixture: SocialFixture, characterId: string, mark: number): PrivateMessage[] {
  return fixture.deliveries
    .slice(mark)
    .filter((event) => event.characterIds.includes(characterId))
    .flatMap((event) => (event.delivery.kind === 'notify' && event.delivery.notification.type === 'message.received' ? [event.delivery.notification.message] : []));
}

/**
 * Waits until everything published to a character so far has arrived, by publishing a marker
 * after it on the same bus and waiting for that; an absent notification is then truly absent.
 */
export async function settle(fixture: SocialFixture, characterId: string): Promise<void> {
  const mark = fixture.deliveries.length;
  await notify(fixture.deps, [characterId], { type: 'friend.offline', friend: { id: randomUUID(), name: 'Marker' } });
  await nextNotification(fixture, characterId, 'friend.offline', mark);
}

export async function send(from: SocialPlayer, to: SocialPlayer, text: string): Promise<PrivateMessage> {
  return privateMessageSchema.parse((await from.call('post', '/social/messages', { to: to.name, text }).expect(201)).body);
}

export async function unreadOf(player: SocialPlayer): Promise<number> {
  return unreadCountSchema.parse((await player.call('get', '/social/messages/unread-count').expect(200)).body).unread;
}

export async function deliveredAt(fixture: SocialFixture, messageId: string): Promise<Date | null> {
  return (await fixture.infra.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).deliveredAt;
}
