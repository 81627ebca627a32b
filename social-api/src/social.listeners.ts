import { DomainError, mutedError, sanctionNotice } from '@mmo/platform';
import { ErrorCode, type BusEvent } from '@mmo/shared';
import { deliver, notify } from './features/deliver.js';
import { friendIdsOf } from './features/friends/friend.service.js';
import { repairLeaderlessGuilds } from './features/guilds/guild-ranks.service.js';
import { guildMemberIdsOf } from './features/guilds/guild.service.js';
import { recordChatReport } from './features/messages/chat-report.service.js';
import { deliverBacklog, markDelivered } from './features/messages/message.service.js';
import { partyMemberIdsOf, repairLeaderlessParties } from './features/parties/party.service.js';
import { silencedBy } from './features/relations/relation.checks.js';
import type { SocialDeps } from './social.deps.js';

/**
 * What the social API does on events from the game rooms: tells friends when a character
 * logs in or out, hands a character that logs in the private messages it missed, records
 * which messages rooms handed over, and fans party and guild chat out to the members,
 * wherever they play.
 *
 * Every social API process follows these topics, so the cluster runs one social API process:
 * two would each deliver every event (see docs/architecture.md, "Known gaps").
 */
export async function startSocialListeners(deps: SocialDeps): Promise<() => Promise<void>> {
  const stops = await Promise.all([
    deps.bus.subscribe('character.online', (event) => onCharacterOnline(deps, event)),
    deps.bus.subscribe('character.offline', (event) => onCharacterOffline(deps, event)),
    deps.bus.subscribe('social.chat', (event) => relayGroupChat(deps, event)),
    deps.bus.subscribe('social.delivered', async (event) => {
      await markDelivered(deps, event.characterId, event.messageIds);
    }),
    deps.bus.subscribe('character.deleted', () => repairLeaderlessGroups(deps)),
    deps.bus.subscribe('game.chat_report', (event) => recordChatReport(deps, event)),
  ]);
  // Deletions announced while this process was down were missed: repair once at start.
  await repairLeaderlessGroups(deps);
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}

/** Parties and guilds whose leader was deleted get the next member in line, or end. */
export async function repairLeaderlessGroups(deps: SocialDeps): Promise<void> {
  const [parties, guilds] = await Promise.all([repairLeaderlessParties(deps), repairLeaderlessGuilds(deps)]);
  if (parties + guilds > 0) deps.logger.info({ parties, guilds }, 'repaired parties and guilds left without a leader');
}

/**
 * A character joined a room: missed messages arrive (also after a portal hop, which retries
 * any that no room acknowledged), and on a login its friends hear of it.
 */
export async function onCharacterOnline(deps: SocialDeps, event: BusEvent<'character.online'>): Promise<void> {
  const friend = { id: event.characterId, name: event.name };
  await Promise.all([
    event.login ? friendIdsOf(deps, event.characterId).then((ids) => notify(deps, ids, { type: 'friend.online', friend, area: event.area })) : undefined,
    deliverBacklog(deps, event.characterId),
  ]);
}

export async function onCharacterOffline(deps: SocialDeps, event: BusEvent<'character.offline'>): Promise<void> {
  const ids = await friendIdsOf(deps, event.characterId);
  await notify(deps, ids, { type: 'friend.offline', friend: { id: event.characterId, name: event.name } });
}

/**
 * Sends a party or guild line to every member who has not muted or blocked the sender, the
 * sender included (as area chat echoes). A sender in no such group, or over the rate limit,
 * gets an `error` in game instead.
 */
export async function relayGroupChat(deps: SocialDeps, event: BusEvent<'social.chat'>): Promise<void> {
  const sender = [event.characterId];
  try {
    await deps.limits.groupChat.consume(event.characterId);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await deliver(deps, sender, { kind: 'error', error: { code: error.code, message: error.message } });
    return;
  }
  // The room refuses a muted account's lines already; a line relayed by a room that had not yet
  // heard of the mute is stopped here.
  const account = await deps.prisma.character.findUnique({ where: { id: event.characterId }, select: { accountId: true } });
  const mute = account ? deps.sanctions.muteOf(account.accountId) : null;
  if (mute) {
    const refused = mutedError(mute);
    await deliver(deps, sender, { kind: 'error', error: { code: refused.code, message: refused.message, sanction: sanctionNotice('mute', mute) } });
    return;
  }
  const members = event.channel === 'party' ? await partyMemberIdsOf(deps, event.characterId) : await guildMemberIdsOf(deps, event.characterId);
  if (members.length === 0) {
    const code = event.channel === 'party' ? ErrorCode.NOT_IN_PARTY : ErrorCode.NOT_IN_GUILD;
    await deliver(deps, sender, { kind: 'error', error: { code, message: `You are not in a ${event.channel}.` } });
    return;
  }
  const silenced = await silencedBy(deps.prisma, event.characterId, members);
  const recipients = members.filter((id) => !silenced.has(id));
  await deliver(deps, recipients, { kind: 'chat', line: { from: event.name, text: deps.filter.clean(event.text), channel: event.channel } });
}
