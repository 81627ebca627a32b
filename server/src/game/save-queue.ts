/**
 * Per character, its saves in order: each write starts after the previous one has landed or
 * failed, builds what it writes when it starts (so the latest wins), and can be awaited, so a
 * takeover elsewhere loads only after every write here has landed.
 */
export class SaveQueue {
  private readonly inFlight = new Map<string, Promise<void>>();

  /** Queues one write; answers what it answers. */
  enqueue<T>(characterId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(characterId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    const settled = next.then(() => undefined);
    this.inFlight.set(characterId, settled);
    settled
      .finally(() => {
        if (this.inFlight.get(characterId) === settled) this.inFlight.delete(characterId);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * One write for several characters (a save round's slice): it starts once each one's earlier
   * writes have landed or failed, and each one's later writes wait for it, as if it had been
   * queued for each of them.
   */
  enqueueMany<T>(characterIds: readonly string[], write: () => Promise<T>): Promise<T> {
    const previous = characterIds.flatMap((id) => this.inFlight.get(id) ?? []);
    const next = Promise.all(previous.map((earlier) => earlier.catch(() => undefined))).then(write);
    const settled = next.then(() => undefined);
    for (const id of characterIds) this.inFlight.set(id, settled);
    settled
      .finally(() => {
        for (const id of characterIds) if (this.inFlight.get(id) === settled) this.inFlight.delete(id);
      })
      .catch(() => undefined);
    return next;
  }

  /** Whether a write of the character is queued or running. */
  busy(characterId: string): boolean {
    return this.inFlight.has(characterId);
  }

  /** Resolves once the character's queued writes have landed or failed. */
  async settled(characterId: string): Promise<void> {
    await this.inFlight.get(characterId)?.catch(() => undefined);
  }

  /** Resolves once every queued write has landed or failed. */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight.values()].map((write) => write.catch(() => undefined)));
  }
}
