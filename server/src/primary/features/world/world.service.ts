import { DomainError, type AuthContext, type PrismaClient } from '@mmo/platform';
import { AREA_IDS, ErrorCode, type AreaId, type EnterWorldResponse, type SeatReservation } from '@mmo/shared';
import type { SeatHolder } from '../../../game/placement.js';

export interface WorldDeps {
  prisma: PrismaClient;
  /** Reserves a seat in an instance of an area, on whichever game process hosts or gets it. */
  reserveSeat(area: AreaId, holder: SeatHolder): Promise<SeatReservation>;
}

/**
 * Enter world: places one of the account's characters in an instance of the area it was
 * saved in, and returns the seat reservation the client consumes with `@colyseus/sdk`.
 */
export async function enterWorld(deps: WorldDeps, auth: AuthContext, characterId: string): Promise<EnterWorldResponse> {
  const character = await deps.prisma.character.findFirst({
    where: { id: characterId, accountId: auth.accountId },
    select: { id: true, area: true },
  });
  if (!character) throw new DomainError(ErrorCode.CHARACTER_NOT_FOUND);
  const area = AREA_IDS.find((id) => id === character.area) ?? 'town';
  const reservation = await deps.reserveSeat(area, {
    accountId: auth.accountId,
    loginSessionId: auth.sessionId,
    characterId: character.id,
  });
  return { reservation, area };
}
