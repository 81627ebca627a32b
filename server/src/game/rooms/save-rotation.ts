/**
 * The save rotation of a room: one slot per slice of the save interval, each occupant in one
 * slot for its whole stay (the emptiest when it joins), so that each slice saves about
 * 1/`slotCount` of the room and every occupant is visited once per interval.
 */
export class SaveRotation<T> {
  private readonly slots: Set<T>[];
  private readonly slotOf = new Map<T, number>();
  private next = 0;

  constructor(slotCount: number) {
    if (!Number.isInteger(slotCount) || slotCount < 1) throw new RangeError(`a save rotation needs at least one slot, not ${slotCount}`);
    this.slots = Array.from({ length: slotCount }, () => new Set<T>());
  }

  /** Puts a newcomer in the slot with the fewest members, keeping the slices even; once per stay. */
  place(member: T): void {
    if (this.slotOf.has(member)) return;
    let emptiest = 0;
    for (let slot = 1; slot < this.slots.length; slot += 1) if (this.slots[slot]!.size < this.slots[emptiest]!.size) emptiest = slot;
    this.slots[emptiest]!.add(member);
    this.slotOf.set(member, emptiest);
  }

  remove(member: T): void {
    const slot = this.slotOf.get(member);
    if (slot === undefined) return;
    this.slots[slot]!.delete(member);
    this.slotOf.delete(member);
  }

  /** The members of the next slot in turn (in the order they were placed); the rotation moves on. */
  takeTurn(): T[] {
    const slot = this.next;
    this.next = (slot + 1) % this.slots.length;
    return [...this.slots[slot]!];
  }
}
