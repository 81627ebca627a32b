import { matchMaker, Room, type Presence } from '@colyseus/core';
import { MAP_AREA_ROOM } from '@mmo/shared';
import { selectLeastLoadedProcess } from './placement.js';
import { quietPm2Agent } from './pm2-agent.js';

/**
 * Stands in for the map-area room in a process that only matchmakes. Colyseus needs the room
 * type registered to know its filter (`area`); the rooms themselves are created by game
 * processes, so this class is never instantiated.
 */
class MatchmakingOnlyRoom extends Room {}

/**
 * Makes this process (the primary) a matchmaker without rooms: it finds and creates map-area
 * instances on the game processes through Redis, and reserves seats in them.
 */
export async function startStandaloneMatchmaker(
  presence: Presence,
  driver: matchMaker.MatchMakerDriver,
): Promise<{ stop(): Promise<void> }> {
  await quietPm2Agent();
  await matchMaker.setup(presence, driver, undefined, selectLeastLoadedProcess);
  matchMaker.defineRoomType(MAP_AREA_ROOM, MatchmakingOnlyRoom).filterBy(['area']);
  await matchMaker.accept(true);
  return {
    async stop() {
      presence.shutdown();
      await driver.shutdown();
    },
  };
}
