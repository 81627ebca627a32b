/**
 * Per character, its saves in order: each write starts after the previous one has landed or
 * failed, builds what it writes when it starts (so the latest wins), and can be awaited, so a
 * takeover elsewhere loads only after every write here has landed.
 */
export class SaveQueue {
  private readonly inFlight = new Map<string, Promise<void>>();

  enqueue(characterId: string, write: () => Promise<void>): Promise<void> {
    const previous = this.inFlight.get(characterId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.inFlight.set(characterId, next);
    next
      .finally(() => {
        if (this.inFlight.get(characterId) === next) this.inFlight.delete(characterId);
      })
      .catch(() => undefined);
    return next;
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
