import type { Logger } from '@mmo/platform';
import { DEFAULT_SAVE_RETRY, retrySave, saveWithRetry, type CharacterProgress } from '../character.store.js';
import type { GameProgress, ProgressSaveEntry, ProgressStore } from '../progress.store.js';
import { SaveQueue } from '../save-queue.js';
import { progressOf } from '../world/combat-view.js';
import { forgetSaved, returnUnsaved, takeUnsavedGrants, takeUnsavedGrantsOf, type RewardLedger } from '../world/rewards.js';
import type { Occupant } from './occupant.js';

/** What a room's progress writes need. */
export interface ProgressWritesDeps {
  readonly progress: ProgressStore;
  readonly logger: Logger;
  /** The room's reward grants not saved yet. */
  readonly ledger: RewardLedger;
  readonly roomId: string;
}

/**
 * A room's writes of its characters' progress, in each character's order (`SaveQueue`), each
 * carrying the reward grants not saved yet: taken from the ledger when the write starts, so
 * each goes with one write; a failed write puts them back for the next, a landed one lets the
 * ledger forget their keys (the store's `reward_grants` refusing them from then on). Every
 * write is idempotent (grants are recorded once), so a retry is always safe.
 */
export class ProgressWrites {
  private readonly queue = new SaveQueue();

  constructor(private readonly deps: ProgressWritesDeps) {}

  /** One write of the character at `at` with its combat progress; answers the progress it wrote. */
  save(occupant: Occupant, at: CharacterProgress): Promise<GameProgress> {
    return this.queue.enqueue(occupant.character.id, () => this.write(occupant, at));
  }

  /**
   * One batched write of several characters where they stand (a save slice), queued for each of
   * them, built when it starts. Answers the ids of characters found deleted (their grants put
   * back); rejects, every grant put back, when the batch failed after its retries (logged).
   */
  saveMany(occupants: readonly Occupant[]): Promise<Set<string>> {
    const ids = occupants.map((o) => o.character.id);
    return this.queue.enqueueMany(ids, async () => {
      const { ledger } = this.deps;
      const grants = takeUnsavedGrantsOf(ledger, new Set(ids));
      const entries: ProgressSaveEntry[] = occupants.map(({ character, fighter }) => ({
        characterId: character.id,
        progress: { area: character.area, x: character.x, y: character.y, ...progressOf(fighter) },
        grants: grants.get(character.id) ?? [],
      }));
      try {
        const result = await retrySave(DEFAULT_SAVE_RETRY, this.deps.logger, { roomId: this.deps.roomId, characters: entries.length }, () => this.deps.progress.saveProgressBatch(entries));
        for (const saved of result.saved.values()) forgetSaved(ledger, [...saved.recorded, ...saved.alreadyRecorded]);
        for (const id of result.gone) returnUnsaved(ledger, grants.get(id) ?? []);
        return result.gone;
      } catch (error) {
        for (const own of grants.values()) returnUnsaved(ledger, own);
        throw error;
      }
    });
  }

  /** Whether a write of the character is queued or running. */
  busy(characterId: string): boolean {
    return this.queue.busy(characterId);
  }

  /** Resolves once the character's queued writes have landed or failed. */
  settled(characterId: string): Promise<void> {
    return this.queue.settled(characterId);
  }

  /** Resolves once every queued write has landed or failed. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  private async write(occupant: Occupant, at: CharacterProgress): Promise<GameProgress> {
    const { ledger } = this.deps;
    const characterId = occupant.character.id;
    const grants = takeUnsavedGrants(ledger, characterId);
    const progress = { ...at, ...progressOf(occupant.fighter) };
    try {
      const saved = await saveWithRetry(DEFAULT_SAVE_RETRY, this.deps.logger, characterId, () => this.deps.progress.saveProgress(characterId, progress, grants));
      forgetSaved(ledger, [...saved.recorded, ...saved.alreadyRecorded]);
      return progress;
    } catch (error) {
      returnUnsaved(ledger, grants);
      throw error;
    }
  }
}
