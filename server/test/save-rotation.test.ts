import assert from 'node:assert/strict';
import { SaveRotation } from '../src/game/rooms/save-rotation.js';

/** Every member's turns over `rounds` whole rotations. */
function turnsOver<T>(rotation: SaveRotation<T>, slotCount: number, rounds: number): Map<T, number> {
  const turns = new Map<T, number>();
  for (let i = 0; i < slotCount * rounds; i += 1) for (const member of rotation.takeTurn()) turns.set(member, (turns.get(member) ?? 0) + 1);
  return turns;
}

describe('save rotation (a slice of the room per second, each occupant once per interval)', () => {
  it('visits every member exactly once per rotation, in slices that differ by one at most', () => {
    const rotation = new SaveRotation<number>(15);
    for (let member = 0; member < 100; member += 1) rotation.place(member);
    const sizes = Array.from({ length: 15 }, () => rotation.takeTurn().length);
    assert.equal(Math.max(...sizes) - Math.min(...sizes), 1);
    assert.equal(sizes.reduce((a, b) => a + b), 100);
    const turns = turnsOver(rotation, 15, 3);
    assert.equal(turns.size, 100);
    assert.ok([...turns.values()].every((count) => count === 3));
  });

  it('forgets a removed member and puts a newcomer where the room is thinnest', () => {
    const rotation = new SaveRotation<string>(3);
    for (const member of ['a', 'b', 'c', 'd', 'e', 'f']) rotation.place(member);
    rotation.remove('b');
    rotation.remove('e');
    rotation.remove('missing');
    rotation.place('g');
    assert.deepEqual([rotation.takeTurn(), rotation.takeTurn(), rotation.takeTurn()], [['a', 'd'], ['g'], ['c', 'f']]);
    // A member placed twice stays in its first slot, visited once.
    rotation.place('a');
    assert.equal(turnsOver(rotation, 3, 1).get('a'), 1);
  });

  it('keeps visiting members through random joins and leaves, each once per whole rotation it stayed', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rotation = new SaveRotation<number>(5);
    const present = new Set<number>();
    let next = 0;
    for (let round = 0; round < 40; round += 1) {
      for (let i = 0; i < 10; i += 1) {
        if (present.size > 0 && random() < 0.4) {
          const gone = [...present][Math.floor(random() * present.size)]!;
          present.delete(gone);
          rotation.remove(gone);
        } else {
          present.add(next);
          rotation.place(next);
          next += 1;
        }
      }
      const turns = turnsOver(rotation, 5, 1);
      assert.deepEqual([...turns.keys()].sort((a, b) => a - b), [...present].sort((a, b) => a - b));
      assert.ok([...turns.values()].every((count) => count === 1));
    }
  });

  it('refuses a rotation without slots', () => {
    assert.throws(() => new SaveRotation(0), RangeError);
    assert.throws(() => new SaveRotation(1.5), RangeError);
  });
});
