import { matchMaker } from '@colyseus/core';
import type { Logger } from '@mmo/platform';
import { ErrorCode } from '@mmo/shared';
import type { Holder } from '../character-claims.js';
import { roomRefusal } from '../room-errors.js';

/** How long a join waits for the character's previous holder (another process) to save and let go. */
const RELEASE_TIMEOUT_MS = 10_000;

/**
 * Asks the room in which a character's previous connection lives (any process) to save it and
 * let go, and waits for the answer. A room or process that is gone holds nothing to release;
 * one that is alive but does not answer makes the join fail with 503, to be tried again.
 */
export async function releaseInOtherRoom(previous: Holder, characterId: string, logger: Logger): Promise<void> {
  const listing = await matchMaker.driver.findOne({ roomId: previous.roomId });
  if (!listing) return;
  try {
    await matchMaker.remoteRoomCall(previous.roomId, 'releaseCharacter', [previous.sessionId, characterId], RELEASE_TIMEOUT_MS);
  } catch (error) {
    // Its process may have died without cleaning up: then nobody holds the character.
    const alive = await matchMaker.healthCheckProcessId(listing.processId).catch(() => false);
    if (!alive) return;
    logger.error({ err: error, roomId: previous.roomId }, 'the previous holder of a character did not let go');
    throw roomRefusal(ErrorCode.SERVICE_UNAVAILABLE);
  }
}
