import { leaderboardCharacterOf, leaderboardRowSelect, lockKey, type LeaderboardRow, type LeaderboardStore, type Logger, Prisma, type PrismaClient } from '@mmo/platform';
import { AREA_IDS, ErrorCode, INVENTORY_CAPACITY, ITEMS, type AreaId } from '@mmo/shared';
import { refuse, type ActionResult } from './world/combat.js';
import { addToInventory, type InventoryStack } from './world/loot.js';
import { rewardKey, type RewardGrant } from './world/rewards.js';

/**
 * What the game saves of a character while it plays, as absolute values: where it stands and
 * its progress as the room's world holds it (every grant of the save already applied, and any
 * experience lost to deaths taken off). `hp: null` means full.
 */
export interface GameProgress {
  area: AreaId;
  x: number;
  y: number;
  level: number;
  xp: number;
  monstersDefeated: number;
  hp: number | null;
}

/** A character's stored progress and purse, as a room loads them on join. */
export interface StoredProgress extends GameProgress {
  gold: number;
}

/** What a save did with its grants, so the room can forget their keys (`forgetSaved`). */
export interface SaveProgressResult {
  /** Grants recorded by this save. */
  recorded: RewardGrant[];
  /** Grants an earlier save had already recorded (a retry, or a replay after a crash). */
  alreadyRecorded: RewardGrant[];
  /** Whether anything a leaderboard ranks (level, experience, monsters defeated) changed. */
  rankedChanged: boolean;
}

/** One character's part of a batched save. */
export interface ProgressSaveEntry {
  characterId: string;
  progress: GameProgress;
  /** Grants of this character only. */
  grants: readonly RewardGrant[];
}

/** What a batched save did: each saved character's result, and the characters found deleted. */
export interface SaveProgressBatchResult {
  saved: Map<string, SaveProgressResult>;
  /** Characters whose row is gone: nothing was written for them, none of their grants recorded. */
  gone: Set<string>;
}

/** An item stack a pickup adds. */
export interface PickedItem {
  itemId: string;
  quantity: number;
}

/** After a pickup: the whole inventory and the purse. */
export type PickUpResult = ActionResult<{ slots: InventoryStack[]; gold: number }>;

/** After a use: the item taken out of the slot and the inventory left behind. */
export type UseItemResult = ActionResult<{ itemId: string; slots: InventoryStack[] }>;

/**
 * A last check of the item about to be used (the player alive, the potion off cooldown), run
 * while the slot is locked: a refusal leaves the slot untouched.
 */
export type UseItemCheck = (itemId: string) => ActionResult;

/**
 * Character progress and belongings as the game servers write them while the character plays.
 *
 * Saves write absolute values: the room that holds a character is its only writer (the
 * per-character claim, and the save queue that orders its saves), so the latest save is the
 * truth and a retry or replay of one writes the same values again. The grants the save carries
 * are recorded in the same transaction (`reward_grants`, unique per death and character), so
 * the stored progress includes a grant exactly when its key is recorded: a process that dies
 * before the commit loses both (the monster's death dies with it), one that dies after it has
 * both, and a replay finds the key and reports it as already recorded.
 *
 * Inventory changes (`pickUp`, `useItem`) take the per-character lock the player API's
 * inventory routes take (`inventory:<id>`) and read the slots inside it, so the two can act at
 * once without losing or duplicating an item. Gold is written by pickups alone, at once, and
 * never by a save, so a save can never undo a pickup.
 */
export interface ProgressStore {
  /** The character's stored progress, or null if it does not exist (or names an unknown area). */
  load(characterId: string): Promise<StoredProgress | null>;
  /** The item ids the character wears (its attributes in combat follow them). */
  equipped(characterId: string): Promise<string[]>;
  /**
   * The party the character is in, or null. Read on join only (the social API owns parties and
   * announces every change as `party.updated`, which the room follows from then on).
   */
  partyOf(characterId: string): Promise<string | null>;
  /**
   * Saves the progress and records the grants it includes, in one transaction; updates the
   * leaderboards afterwards if something they rank changed. Idempotent: saving the same
   * progress and grants again changes nothing. Rejects with Prisma's record-not-found error
   * (P2025) when the character was deleted. Retrying is the caller's choice and always safe.
   */
  saveProgress(characterId: string, progress: GameProgress, grants: readonly RewardGrant[]): Promise<SaveProgressResult>;
  /**
   * `saveProgress` for several characters (a save round's slice) in one transaction, with the
   * same guarantees for each: its progress and its grants land together or not at all, and a
   * replay records nothing twice. A deleted character does not fail the others: it is answered
   * in `gone`, with nothing written for it. The leaderboards get the characters whose ranked
   * values changed, in one call. Any other failure rejects the whole batch, nothing written.
   */
  saveProgressBatch(entries: readonly ProgressSaveEntry[]): Promise<SaveProgressBatchResult>;
  /**
   * Puts every stack into the inventory (onto stacks of the same item first, then the lowest
   * free slots) and the gold into the purse, all or nothing: `INVENTORY_FULL` leaves
   * everything as it was. `CHARACTER_NOT_FOUND` when the character is gone.
   */
  pickUp(characterId: string, items: readonly PickedItem[], gold: number): Promise<PickUpResult>;
  /**
   * Takes one item out of `slot` if it can be used (a consumable that heals) and `check`
   * accepts it: `INVENTORY_SLOT_EMPTY`, `ITEM_NOT_USABLE`, `check`'s refusal or
   * `CHARACTER_NOT_FOUND` leave the slot as it was.
   */
  useItem(characterId: string, slot: number, check?: UseItemCheck): Promise<UseItemResult>;
}

/** True when `itemId` is something a player can drink (the only usable items for now). */
export function isUsableItem(itemId: string): boolean {
  const item = ITEMS.get(itemId);
  return item?.kind === 'consumable' && item.heal !== undefined;
}

/** The inventory after adding every stack, or the first refusal (nothing is changed then). */
export function addAllToInventory(slots: readonly InventoryStack[], items: readonly PickedItem[]): ActionResult<{ slots: InventoryStack[] }> {
  let next: InventoryStack[] = slots.map((stack) => ({ ...stack }));
  for (const item of items) {
    const added = addToInventory(next, item.itemId, item.quantity, INVENTORY_CAPACITY);
    if (!added.ok) return added;
    next = added.slots;
  }
  return { ok: true, slots: next };
}

/** Whether a leaderboard ranks something that differs between the two. */
function rankedDiffers(before: { level: number; xp: number; monstersDefeated: number }, after: { level: number; xp: number; monstersDefeated: number }): boolean {
  return before.level !== after.level || before.xp !== after.xp || before.monstersDefeated !== after.monstersDefeated;
}

/** Refuses a batch naming a character twice or carrying a grant of someone else. */
export function checkBatch(entries: readonly ProgressSaveEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.characterId)) throw new Error('a batched save names each character once');
    seen.add(entry.characterId);
    if (entry.grants.some((grant) => grant.characterId !== entry.characterId)) throw new Error('a save carries only its own character\'s grants');
  }
}

/** Splits a save's grants by the keys the store recorded. */
function splitGrants(grants: readonly RewardGrant[], recorded: ReadonlySet<string>): Pick<SaveProgressResult, 'recorded' | 'alreadyRecorded'> {
  return { recorded: grants.filter((grant) => recorded.has(grant.key)), alreadyRecorded: grants.filter((grant) => !recorded.has(grant.key)) };
}

/** A row of the batch statement's answer (JSON: big integers arrive as numbers, times as text). */
interface BatchSavedRow {
  id: string;
  name: string;
  class: string;
  level: number;
  xp: number;
  gold: number;
  monsters_defeated: number;
  hidden: boolean;
  updated_at: string;
  old_level: number;
  old_xp: number;
  old_monsters_defeated: number;
}

function areaOf(value: string): AreaId | undefined {
  return AREA_IDS.find((id) => id === value);
}

type Tx = Prisma.TransactionClient;

/** The Prisma implementation, on PostgreSQL or PGlite. */
export class PrismaProgressStore implements ProgressStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    /** Absent only where the store alone is under test. */
    private readonly leaderboards?: LeaderboardStore,
  ) {}

  async load(characterId: string): Promise<StoredProgress | null> {
    const row = await this.prisma.character.findUnique({ where: { id: characterId } });
    const area = row ? areaOf(row.area) : undefined;
    if (!row || !area) return null;
    return { area, x: row.x, y: row.y, level: row.level, xp: Number(row.xp), monstersDefeated: row.monstersDefeated, hp: row.hp, gold: Number(row.gold) };
  }

  async partyOf(characterId: string): Promise<string | null> {
    const row = await this.prisma.partyMember.findUnique({ where: { characterId }, select: { partyId: true } });
    return row?.partyId ?? null;
  }

  async equipped(characterId: string): Promise<string[]> {
    const rows = await this.prisma.equippedItem.findMany({ where: { characterId }, select: { itemId: true } });
    return rows.map((row) => row.itemId);
  }

  /**
   * A batch of one: the single statement below (one round trip) rather than an interactive
   * transaction (begin, lock, update, grants, commit: four or five), which is what a portal
   * hop and a leave wait for. The same guarantees: the row lock, progress and grants together.
   */
  async saveProgress(characterId: string, progress: GameProgress, grants: readonly RewardGrant[]): Promise<SaveProgressResult> {
    const { saved } = await this.saveProgressBatch([{ characterId, progress, grants }]);
    const result = saved.get(characterId);
    // The error the interface promises for a deleted character, as Prisma's `update` raises it.
    if (!result) throw new Prisma.PrismaClientKnownRequestError(`No character ${characterId}`, { code: 'P2025', clientVersion: Prisma.prismaVersion.client });
    return result;
  }

  /**
   * One statement for the whole batch, atomic as any single statement is: it locks the rows of
   * the characters that still exist (in id order, so two batches never deadlock) and reads the
   * values they replace, writes every row from one JSON array, and inserts the grants of the
   * rows written (`ON CONFLICT DO NOTHING RETURNING`: only new keys come back). A character
   * without a row matches nothing, so it is answered as gone and none of its grants is tried.
   */
  async saveProgressBatch(entries: readonly ProgressSaveEntry[]): Promise<SaveProgressBatchResult> {
    checkBatch(entries);
    const result: SaveProgressBatchResult = { saved: new Map(), gone: new Set() };
    if (entries.length === 0) return result;
    const rows = JSON.stringify(entries.map(({ characterId, progress }) => ({ id: characterId, area: progress.area, x: progress.x, y: progress.y, level: progress.level, xp: progress.xp, monsters_defeated: progress.monstersDefeated, hp: progress.hp })));
    const grants = JSON.stringify(entries.flatMap((entry) => entry.grants.map((grant) => ({ death_id: grant.deathId, character_id: grant.characterId, xp: grant.xp, kills: grant.kills }))));
    // The client's clock, as Prisma's `@updatedAt` uses, so leaderboard versions stay comparable.
    const now = new Date();
    const [answer] = await this.prisma.$queryRaw<{ saved: BatchSavedRow[] | null; granted: { death_id: string; character_id: string }[] | null }[]>`
      WITH v AS (
        SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS v(id uuid, area text, x int, y int, level int, xp bigint, monsters_defeated int, hp int)
      ), old AS (
        SELECT c.id, c.level, c.xp, c.monsters_defeated FROM characters c WHERE c.id IN (SELECT id FROM v) ORDER BY c.id FOR UPDATE
      ), saved AS (
        UPDATE characters c
        SET area = v.area, x = v.x, y = v.y, level = v.level, xp = v.xp, monsters_defeated = v.monsters_defeated, hp = v.hp, last_seen_at = ${now}, updated_at = ${now}
        FROM v JOIN old ON old.id = v.id
        WHERE c.id = v.id
        RETURNING c.id, c.name, c.class, c.level, c.xp, c.gold, c.monsters_defeated, c.hidden, c.updated_at,
          old.level AS old_level, old.xp AS old_xp, old.monsters_defeated AS old_monsters_defeated
      ), granted AS (
        INSERT INTO reward_grants (death_id, character_id, xp, kills)
        SELECT g.death_id, g.character_id, g.xp, g.kills
        FROM jsonb_to_recordset(${grants}::jsonb) AS g(death_id text, character_id uuid, xp int, kills int)
        WHERE g.character_id IN (SELECT id FROM saved)
        ON CONFLICT DO NOTHING
        RETURNING death_id, character_id
      )
      SELECT (SELECT json_agg(saved) FROM saved) AS saved, (SELECT json_agg(granted) FROM granted) AS granted`;
    const savedRows = new Map((answer?.saved ?? []).map((row) => [row.id, row]));
    const recorded = new Set((answer?.granted ?? []).map((row) => rewardKey(row.death_id, row.character_id)));
    const changed: LeaderboardRow[] = [];
    for (const { characterId, progress, grants: own } of entries) {
      const row = savedRows.get(characterId);
      if (!row) {
        result.gone.add(characterId);
        continue;
      }
      const rankedChanged = rankedDiffers({ level: row.old_level, xp: Number(row.old_xp), monstersDefeated: row.old_monsters_defeated }, progress);
      result.saved.set(characterId, { ...splitGrants(own, recorded), rankedChanged });
      if (rankedChanged) {
        changed.push({ id: row.id, name: row.name, class: row.class, level: row.level, xp: BigInt(row.xp), gold: BigInt(row.gold), monstersDefeated: row.monsters_defeated, hidden: row.hidden, updatedAt: new Date(row.updated_at) });
      }
    }
    await this.recordOnLeaderboards(changed);
    return result;
  }

  pickUp(characterId: string, items: readonly PickedItem[], gold: number): Promise<PickUpResult> {
    return this.withInventoryLock<{ slots: InventoryStack[]; gold: number }>(characterId, async (tx) => {
      const slots = await this.slotsOf(tx, characterId);
      const added = addAllToInventory(slots, items);
      if (!added.ok) return { result: added };
      await this.writeSlots(tx, characterId, slots, added.slots);
      const row = gold > 0
        ? await tx.character.update({ where: { id: characterId }, data: { gold: { increment: gold } }, select: leaderboardRowSelect })
        : await tx.character.findUniqueOrThrow({ where: { id: characterId }, select: leaderboardRowSelect });
      return { result: { ok: true, slots: added.slots, gold: Number(row.gold) }, ...(gold > 0 ? { row } : {}) };
    });
  }

  useItem(characterId: string, slot: number, check?: UseItemCheck): Promise<UseItemResult> {
    return this.withInventoryLock<{ itemId: string; slots: InventoryStack[] }>(characterId, async (tx) => {
      const where = { characterId_slot: { characterId, slot } };
      const stack = await tx.inventorySlot.findUnique({ where });
      if (!stack) return { result: refuse(ErrorCode.INVENTORY_SLOT_EMPTY, `Inventory slot ${slot} is empty.`) };
      if (!isUsableItem(stack.itemId)) return { result: refuse(ErrorCode.ITEM_NOT_USABLE, 'That item cannot be used.') };
      const checked = check?.(stack.itemId);
      if (checked && !checked.ok) return { result: checked };
      if (stack.quantity > 1) await tx.inventorySlot.update({ where, data: { quantity: stack.quantity - 1 } });
      else await tx.inventorySlot.delete({ where });
      return { result: { ok: true, itemId: stack.itemId, slots: await this.slotsOf(tx, characterId) } };
    });
  }

  /**
   * Runs `change` in one transaction holding the character's inventory lock, the one the
   * player API's inventory routes take, and a share lock on the row that holds off a deletion
   * until it commits. A refusal commits nothing, as nothing was written before it.
   */
  private async withInventoryLock<T extends object>(characterId: string, change: (tx: Tx) => Promise<{ result: ActionResult<T>; row?: LeaderboardRow }>): Promise<ActionResult<T>> {
    const { result, row } = await this.prisma.$transaction(async (tx): Promise<{ result: ActionResult<T>; row?: LeaderboardRow }> => {
      await lockKey(tx, `inventory:${characterId}`);
      const exists = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM characters WHERE id = ${characterId}::uuid FOR SHARE`;
      if (exists.length === 0) return { result: refuse(ErrorCode.CHARACTER_NOT_FOUND, 'The character no longer exists.') };
      return change(tx);
    });
    if (row) await this.recordOnLeaderboards([row]);
    return result;
  }

  private async slotsOf(tx: Tx, characterId: string): Promise<InventoryStack[]> {
    return tx.inventorySlot.findMany({ where: { characterId }, select: { slot: true, itemId: true, quantity: true }, orderBy: { slot: 'asc' } });
  }

  /** Writes the slots that differ between `before` and `after` (a pickup only adds or grows stacks). */
  private async writeSlots(tx: Tx, characterId: string, before: readonly InventoryStack[], after: readonly InventoryStack[]): Promise<void> {
    const old = new Map(before.map((stack) => [stack.slot, stack]));
    for (const stack of after) {
      const was = old.get(stack.slot);
      if (!was) await tx.inventorySlot.create({ data: { characterId, ...stack } });
      else if (was.quantity !== stack.quantity) await tx.inventorySlot.update({ where: { characterId_slot: { characterId, slot: stack.slot } }, data: { quantity: stack.quantity } });
    }
  }

  /**
   * Puts written rows on the leaderboards in one call. Errors here are logged and never fail the
   * write: the progress is in the database, and the boards catch up on the next change or a rebuild.
   */
  private async recordOnLeaderboards(rows: readonly LeaderboardRow[]): Promise<void> {
    if (!this.leaderboards || rows.length === 0) return;
    try {
      await this.leaderboards.recordMany(rows.flatMap((row) => leaderboardCharacterOf(row) ?? []));
    } catch (error) {
      this.logger.warn({ err: error, characters: rows.length }, 'could not record saved progress on the leaderboards');
    }
  }
}
