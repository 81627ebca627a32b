import { ErrorCode, type Portal, type RoomError } from '@mmo/shared';
import { assertNever } from '../assert-never.js';
import { roomError } from '../room-errors.js';
import type { SimEvent } from '../world/simulation.js';
import type { CellViews } from './cell-views.js';
import type { Occupant } from './occupant.js';

/** What turning simulation events into state and messages needs of the room. */
export interface SyncTarget {
  readonly views: CellViews;
  occupant(sessionId: string): Occupant | undefined;
  sendError(occupant: Occupant, error: RoomError): void;
  /** Starts a transfer through the portal the occupant took (not awaited). */
  transfer(occupant: Occupant, portal: Portal): void;
}

/**
 * Applies one simulation event to the room: the synced state (`PlayerState`), the cells of
 * interest (a step may cross into another cell), and messages. One exhaustive switch: an event added to `SimEvent` and not
 * handled here fails to compile.
 */
export function applySimEvent(target: SyncTarget, event: SimEvent): void {
  switch (event.type) {
    case 'moved': {
      const occupant = target.occupant(event.id);
      if (!occupant) return;
      occupant.view.x = occupant.character.x = event.x;
      occupant.view.y = occupant.character.y = event.y;
      occupant.dirty = true;
      target.views.placePlayer(event.id, occupant.view, event.x, event.y);
      return;
    }
    case 'portal': {
      const occupant = target.occupant(event.id);
      if (occupant) target.transfer(occupant, event.portal);
      return;
    }
    case 'noPath': {
      const occupant = target.occupant(event.id);
      if (occupant) target.sendError(occupant, roomError(ErrorCode.TILE_UNREACHABLE, 'That tile cannot be reached from here.'));
      return;
    }
    case 'notOnPortal': {
      const occupant = target.occupant(event.id);
      if (occupant) target.sendError(occupant, roomError(ErrorCode.NOT_ON_PORTAL, 'There is no portal here.'));
      return;
    }
    default:
      assertNever(event);
  }
}
