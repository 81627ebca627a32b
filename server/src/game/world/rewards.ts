import { MAX_LEVEL, xpForLevel } from '@mmo/shared';

/**
 * What one character earns from one monster death. `key` (`deathId/characterId`) is unique:
 * a death has one id (instance id + sequence), and each character is rewarded for it once.
 */
export interface RewardGrant {
  key: string;
  deathId: string;
  characterId: string;
  xp: number;
  /** 1 for the killer (counts toward "monsters defeated"), 0 for party members sharing. */
  kills: number;
}

/** The progress a grant changes, as stored. */
export interface Progress {
  level: number;
  xp: number;
  monstersDefeated: number;
}

/** The unique key of a character's reward for a death. */
export function rewardKey(deathId: string, characterId: string): string {
  return `${deathId}/${characterId}`;
}

/**
 * Adds experience to a level and the experience within it, along the shared curve: several
 * levels at once if the amount is large, and nothing beyond `MAX_LEVEL` (where experience
 * stays 0). Returns the new values and each level reached.
 */
export function addXp(level: number, xp: number, amount: number): { level: number; xp: number; levelsReached: number[] } {
  const levelsReached: number[] = [];
  let total = xp + Math.max(0, amount);
  while (level < MAX_LEVEL && total >= xpForLevel(level)) {
    total -= xpForLevel(level);
    level += 1;
    levelsReached.push(level);
  }
  return { level, xp: level >= MAX_LEVEL ? 0 : total, levelsReached };
}

/** The progress after one grant (pure; what the world applies in memory and a store on disk). */
export function applyGrant(progress: Progress, grant: Pick<RewardGrant, 'xp' | 'kills'>): Progress {
  const { level, xp } = addXp(progress.level, progress.xp, grant.xp);
  return { level, xp, monstersDefeated: progress.monstersDefeated + grant.kills };
}

/**
 * Applies a grant to stored progress unless its key is in `applied` (the keys the store has
 * recorded with that progress), so a save retried after a timeout, or replayed after a
 * transfer or a restart, adds nothing the second time. Returns null when already applied.
 */
export function applyGrantOnce(progress: Progress, applied: Set<string>, grant: RewardGrant): Progress | null {
  if (applied.has(grant.key)) return null;
  applied.add(grant.key);
  return applyGrant(progress, grant);
}

/**
 * The grants of one area instance: every key recorded once, and those not yet handed to
 * persistence. The world records a grant before applying it, so a death processed twice
 * (which the world's own state also prevents) could not reward twice.
 */
export interface RewardLedger {
  readonly granted: Set<string>;
  readonly unsaved: RewardGrant[];
}

export function createRewardLedger(): RewardLedger {
  return { granted: new Set(), unsaved: [] };
}

/** Records a grant; false (and nothing recorded) when its key was already granted. */
export function recordGrant(ledger: RewardLedger, grant: RewardGrant): boolean {
  if (ledger.granted.has(grant.key)) return false;
  ledger.granted.add(grant.key);
  ledger.unsaved.push(grant);
  return true;
}

/**
 * Hands over the grants not yet saved (all, or one character's) and forgets them as unsaved;
 * the caller saves them, and puts them back with `returnUnsaved` if the save fails.
 */
export function takeUnsavedGrants(ledger: RewardLedger, characterId?: string): RewardGrant[] {
  return takeWhere(ledger, (grant) => characterId === undefined || grant.characterId === characterId);
}

/** Whether the character has grants not yet handed to persistence. */
export function hasUnsavedGrants(ledger: RewardLedger, characterId: string): boolean {
  return ledger.unsaved.some((grant) => grant.characterId === characterId);
}

/** `takeUnsavedGrants` for several characters in one pass over the ledger (a batched save). */
export function takeUnsavedGrantsOf(ledger: RewardLedger, characterIds: ReadonlySet<string>): Map<string, RewardGrant[]> {
  const taken = new Map<string, RewardGrant[]>();
  for (const grant of takeWhere(ledger, (g) => characterIds.has(g.characterId))) {
    const own = taken.get(grant.characterId);
    if (own) own.push(grant);
    else taken.set(grant.characterId, [grant]);
  }
  return taken;
}

/** Takes the unsaved grants that match out of the ledger, in their order; the others stay. */
function takeWhere(ledger: RewardLedger, matches: (grant: RewardGrant) => boolean): RewardGrant[] {
  const taken: RewardGrant[] = [];
  const kept: RewardGrant[] = [];
  for (const grant of ledger.unsaved) (matches(grant) ? taken : kept).push(grant);
  ledger.unsaved.splice(0, ledger.unsaved.length, ...kept);
  return taken;
}

/** Puts grants whose save failed back in front of the unsaved ones, to go with the next save. */
export function returnUnsaved(ledger: RewardLedger, grants: readonly RewardGrant[]): void {
  ledger.unsaved.unshift(...grants);
}

/**
 * Forgets the keys of grants the store has recorded: from then on the store's own record of
 * keys (`applyGrantOnce`) refuses them, and a long-lived instance does not keep every key of
 * every death in memory.
 */
export function forgetSaved(ledger: RewardLedger, grants: readonly RewardGrant[]): void {
  for (const grant of grants) ledger.granted.delete(grant.key);
}
