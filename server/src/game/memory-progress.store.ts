import { Prisma, type LeaderboardStore } from '@mmo/platform';
import { ErrorCode, type CharacterClass } from '@mmo/shared';
import { addAllToInventory, checkBatch, isUsableItem, type GameProgress, type ProgressSaveEntry, type SaveProgressBatchResult, type PickedItem, type PickUpResult, type ProgressStore, type SaveProgressResult, type StoredProgress, type UseItemCheck, type UseItemResult } from './progress.store.js';
import { refuse } from './world/combat.js';
import type { InventoryStack } from './world/loot.js';
import type { RewardGrant } from './world/rewards.js';

/** One character as the in-memory store keeps it. */
export interface MemoryCharacter {
  name: string;
  class: CharacterClass;
  hidden: boolean;
  progress: StoredProgress;
  slots: InventoryStack[];
  /** Item ids worn; none when absent. */
  equipped?: string[];
  /** The party the character is in; none when absent. */
  partyId?: string;
}

/**
 * What an in-memory "database" holds: characters and recorded grant keys. Two stores over the
 * same data behave as two processes over one database (a crash is a new store on the same data).
 */
export interface MemoryProgressData {
  characters: Map<string, MemoryCharacter>;
  grantKeys: Set<string>;
}

export function createMemoryProgressData(): MemoryProgressData {
  return { characters: new Map(), grantKeys: new Set() };
}

/**
 * The in-memory implementation, for tests of rooms and rules that need no database. Each call
 * runs to completion without yielding before its writes, which is the atomicity the Prisma
 * implementation gets from a transaction. Same rules, same answers.
 */
export class MemoryProgressStore implements ProgressStore {
  private version = 0;

  constructor(
    readonly data: MemoryProgressData = createMemoryProgressData(),
    private readonly leaderboards?: LeaderboardStore,
  ) {}

  async load(characterId: string): Promise<StoredProgress | null> {
    const character = this.data.characters.get(characterId);
    return character ? { ...character.progress } : null;
  }

  async partyOf(characterId: string): Promise<string | null> {
    return this.data.characters.get(characterId)?.partyId ?? null;
  }

  async equipped(characterId: string): Promise<string[]> {
    return [...(this.data.characters.get(characterId)?.equipped ?? [])];
  }

  async saveProgress(characterId: string, progress: GameProgress, grants: readonly RewardGrant[]): Promise<SaveProgressResult> {
    const character = this.data.characters.get(characterId);
    // The error the Prisma store raises for a deleted character, so a room reacts the same way.
    if (!character) throw new Prisma.PrismaClientKnownRequestError(`No character ${characterId}`, { code: 'P2025', clientVersion: 'memory' });
    if (grants.some((grant) => grant.characterId !== characterId)) throw new Error('a save carries only its own character\'s grants');
    const result = this.write(character, progress, grants);
    if (result.rankedChanged) await this.record(characterId, character);
    return result;
  }

  async saveProgressBatch(entries: readonly ProgressSaveEntry[]): Promise<SaveProgressBatchResult> {
    checkBatch(entries);
    const result: SaveProgressBatchResult = { saved: new Map(), gone: new Set() };
    const changed: [string, MemoryCharacter][] = [];
    // Every write before the first await: the batch lands whole, as the one statement does.
    for (const { characterId, progress, grants } of entries) {
      const character = this.data.characters.get(characterId);
      if (!character) {
        result.gone.add(characterId);
        continue;
      }
      const saved = this.write(character, progress, grants);
      result.saved.set(characterId, saved);
      if (saved.rankedChanged) changed.push([characterId, character]);
    }
    await this.recordMany(changed);
    return result;
  }

  /** Records the grants not recorded yet and stores the progress; the purse is left to pickups. */
  private write(character: MemoryCharacter, progress: GameProgress, grants: readonly RewardGrant[]): SaveProgressResult {
    const before = character.progress;
    const recorded: RewardGrant[] = [];
    const alreadyRecorded: RewardGrant[] = [];
    for (const grant of grants) {
      if (this.data.grantKeys.has(grant.key)) alreadyRecorded.push(grant);
      else {
        this.data.grantKeys.add(grant.key);
        recorded.push(grant);
      }
    }
    character.progress = { ...progress, gold: before.gold };
    const rankedChanged = before.level !== progress.level || before.xp !== progress.xp || before.monstersDefeated !== progress.monstersDefeated;
    return { recorded, alreadyRecorded, rankedChanged };
  }

  async pickUp(characterId: string, items: readonly PickedItem[], gold: number): Promise<PickUpResult> {
    const character = this.data.characters.get(characterId);
    if (!character) return refuse(ErrorCode.CHARACTER_NOT_FOUND, 'The character no longer exists.');
    const added = addAllToInventory(character.slots, items);
    if (!added.ok) return added;
    character.slots = added.slots;
    character.progress.gold += gold;
    const result: PickUpResult = { ok: true, slots: added.slots.map((stack) => ({ ...stack })), gold: character.progress.gold };
    if (gold > 0) await this.record(characterId, character);
    return result;
  }

  async useItem(characterId: string, slot: number, check?: UseItemCheck): Promise<UseItemResult> {
    const character = this.data.characters.get(characterId);
    if (!character) return refuse(ErrorCode.CHARACTER_NOT_FOUND, 'The character no longer exists.');
    const stack = character.slots.find((candidate) => candidate.slot === slot);
    if (!stack) return refuse(ErrorCode.INVENTORY_SLOT_EMPTY, `Inventory slot ${slot} is empty.`);
    if (!isUsableItem(stack.itemId)) return refuse(ErrorCode.ITEM_NOT_USABLE, 'That item cannot be used.');
    const checked = check?.(stack.itemId);
    if (checked && !checked.ok) return checked;
    stack.quantity -= 1;
    if (stack.quantity === 0) character.slots = character.slots.filter((candidate) => candidate !== stack);
    return { ok: true, itemId: stack.itemId, slots: character.slots.map((kept) => ({ ...kept })) };
  }

  private async record(characterId: string, character: MemoryCharacter): Promise<void> {
    await this.recordMany([[characterId, character]]);
  }

  private async recordMany(characters: readonly [string, MemoryCharacter][]): Promise<void> {
    if (!this.leaderboards || characters.length === 0) return;
    await this.leaderboards.recordMany(
      characters.map(([characterId, character]) => {
        // A version from the clock, as the database's `updatedAt` is, and always rising, so that a
        // second store over the same data (a "restarted process") is not ignored by the boards.
        this.version = Math.max(Date.now(), this.version + 1);
        const { level, xp, gold, monstersDefeated } = character.progress;
        return { characterId, name: character.name, class: character.class, level, xp, gold, monstersDefeated, hidden: character.hidden, version: this.version };
      }),
    );
  }
}
