import assert from 'node:assert/strict';
import { DomainError } from '../src/errors.js';
import { KeyedTurns } from '../src/keyed-turns.js';
import { deferred } from '../src/testing/index.js';
import { CallerGoneError } from '../src/work-queue.js';

const tick = () => new Promise((done) => setImmediate(done));

describe('keyed turns', () => {
  it('runs one task of a key at a time, in the order they came, and keys apart at once', async () => {
    const turns = new KeyedTurns({ maxWaiting: 10 });
    const active = new Map<string, number>();
    let peakPerKey = 0;
    let peakAll = 0;
    const order: string[] = [];
    const task = (key: string, i: number) =>
      turns.run(key, async () => {
        active.set(key, (active.get(key) ?? 0) + 1);
        peakPerKey = Math.max(peakPerKey, active.get(key)!);
        peakAll = Math.max(peakAll, [...active.values()].reduce((a, b) => a + b, 0));
        await new Promise((done) => setTimeout(done, 3));
        order.push(`${key}${i}`);
        active.set(key, active.get(key)! - 1);
      });
    await Promise.all([0, 1, 2, 3].flatMap((i) => [task('a', i), task('b', i)]));
    assert.equal(peakPerKey, 1);
    assert.equal(peakAll, 2);
    assert.deepEqual(order.filter((name) => name.startsWith('a')), ['a0', 'a1', 'a2', 'a3']);
    assert.deepEqual(order.filter((name) => name.startsWith('b')), ['b0', 'b1', 'b2', 'b3']);
    assert.equal(turns.busyKeys, 0);
  });

  it('passes the turn on after a task that failed or threw at once, and hands its error to its caller only', async () => {
    const turns = new KeyedTurns({ maxWaiting: 10 });
    const failed = turns.run('k', async () => {
      throw new Error('refused');
    });
    const threw = turns.run('k', () => {
      throw new Error('at once');
    });
    const next = turns.run('k', async () => 'ran');
    await assert.rejects(failed, /refused/);
    await assert.rejects(threw, /at once/);
    assert.equal(await next, 'ran');
    assert.equal(turns.busyKeys, 0);
  });

  it('drops a waiting task whose caller has gone when its turn comes, and runs the next', async () => {
    const turns = new KeyedTurns({ maxWaiting: 10 });
    const gate = deferred();
    let gone = false;
    const ran: string[] = [];
    const first = turns.run('k', () => gate.promise);
    const abandoned = turns.run('k', async () => void ran.push('abandoned'), () => gone);
    const next = turns.run('k', async () => void ran.push('next'), () => false);
    gone = true;
    gate.resolve();
    await first;
    await assert.rejects(abandoned, (error: unknown) => error instanceof CallerGoneError);
    await next;
    assert.deepEqual(ran, ['next']);
    assert.equal(turns.busyKeys, 0);
  });

  it('refuses a bound that is not a whole number of tasks', () => {
    for (const bound of [-1, 1.5, Number.NaN]) assert.throws(() => new KeyedTurns({ maxWaiting: bound }), RangeError);
  });

  it('refuses with SERVICE_UNAVAILABLE and a Retry-After once more than maxWaiting wait on a key', async () => {
    const turns = new KeyedTurns({ maxWaiting: 2 });
    const gate = deferred();
    const ran: number[] = [];
    const held = [turns.run('k', () => gate.promise), turns.run('k', async () => void ran.push(1)), turns.run('k', async () => void ran.push(2))];
    await assert.rejects(turns.run('k', async () => void ran.push(3)), (error: unknown) => error instanceof DomainError && error.code === 'SERVICE_UNAVAILABLE' && error.extra.retryAfterSeconds === 1);
    assert.equal(turns.busyKeys, 1, 'the refusal leaves the line as it was');
    // Another key is not held up by a full one.
    assert.equal(await turns.run('other', async () => 'free'), 'free');
    await tick();
    assert.deepEqual(ran, []);
    gate.resolve();
    await Promise.all(held);
    assert.deepEqual(ran, [1, 2]);
    // Once the line has drained, the key takes tasks again.
    assert.equal(await turns.run('k', async () => 'again'), 'again');
    assert.equal(turns.busyKeys, 0);
  });
});
