import type { Presence } from '@colyseus/core';

/** Per character, a counter raised by every join: the highest number is the rightful holder. */
const GENERATIONS = 'mmo:character-generation';
/** Per character, where its latest recorded holder is: `generation|roomId|sessionId`. */
const HOLDERS = 'mmo:character-holder';

export interface Holder {
  generation: number;
  roomId: string;
  sessionId: string;
}

function parseHolder(value: string | null): Holder | null {
  const [generation, roomId, sessionId] = value?.split('|') ?? [];
  if (!generation || !roomId || !sessionId) return null;
  return { generation: Number(generation), roomId, sessionId };
}

/** Whether two holder records name the same join (generation, room and connection). */
export function isSameHolder(a: Holder, b: Holder): boolean {
  return a.generation === b.generation && a.roomId === b.roomId && a.sessionId === b.sessionId;
}

/**
 * Starts a join of a character: takes a generation newer than every earlier join (an atomic
 * increment, on Redis across processes) and returns the holder recorded before, if any, which
 * the joiner must ask to let go.
 *
 * Two joins at the same moment both see the same previous holder; the one with the higher
 * generation wins (`isCurrentClaim`), whatever order their writes land in.
 */
export async function beginClaim(presence: Presence, characterId: string): Promise<{ generation: number; previous: Holder | null }> {
  // The read must come after the increment (`recordAndConfirm` says why). Both are sent at once:
  // Presence runs them in the order called (LocalPresence at once, RedisPresence on its one
  // command connection, which Redis answers in order), so that holds with one round trip.
  const [generation, recorded] = await Promise.all([presence.hincrby(GENERATIONS, characterId, 1), presence.hget(HOLDERS, characterId)]);
  const previous = parseHolder(recorded);
  return { generation, previous: previous && previous.generation < generation ? previous : null };
}

/**
 * Whether no later join of the character has begun since `generation`. Only a strictly higher
 * number supersedes: a counter lost with a Redis restart must not drop everyone.
 */
export async function isCurrentClaim(presence: Presence, characterId: string, generation: number): Promise<boolean> {
  const latest = await presence.hget(GENERATIONS, characterId);
  return latest === null || Number(latest) <= generation;
}

/**
 * `isCurrentClaim` for several characters (a save round's slice). Presence has no multi-field
 * read, so these are separate HGETs, sent together: on Redis they travel back to back on one
 * connection, one round trip of waiting for the slice. Each answer is its own: a failed read
 * rejects that character's promise only.
 */
export function areCurrentClaims(presence: Presence, claims: readonly { characterId: string; generation: number }[]): Promise<PromiseSettledResult<boolean>[]> {
  return Promise.allSettled(claims.map(({ characterId, generation }) => isCurrentClaim(presence, characterId, generation)));
}

/**
 * Records the holder, then reads whether its claim is still the latest, in one round trip (sent
 * in that order on one connection, as in `beginClaim`). The order is what keeps one holder:
 * a join whose check passes recorded itself first, so any later join, which increments before it
 * reads the record, finds it and asks it to let go; and a later join that incremented before
 * this check makes it fail.
 */
export async function recordAndConfirm(presence: Presence, characterId: string, holder: Holder): Promise<boolean> {
  const [, current] = await Promise.all([recordHolder(presence, characterId, holder), isCurrentClaim(presence, characterId, holder.generation)]);
  return current;
}

/** Records where the character's holder is, so that the next join can ask it to let go. */
export async function recordHolder(presence: Presence, characterId: string, holder: Holder): Promise<void> {
  await presence.hset(HOLDERS, characterId, `${holder.generation}|${holder.roomId}|${holder.sessionId}`);
}

/**
 * Forgets the holder record if it is still this one. Read and delete are two steps, so a newer
 * record can be deleted in between; that costs the next join nothing but a lookup, because the
 * generation counter, not this record, decides who holds the character.
 */
export async function forgetHolder(presence: Presence, characterId: string, generation: number): Promise<void> {
  if (parseHolder(await presence.hget(HOLDERS, characterId))?.generation === generation) {
    await presence.hdel(HOLDERS, characterId);
  }
}
