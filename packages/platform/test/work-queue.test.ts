import assert from 'node:assert/strict';
import { DomainError } from '../src/errors.js';
import { deferred } from '../src/testing/index.js';
import { CallerGoneError, WorkQueue } from '../src/work-queue.js';

describe('work queue', () => {
  it('runs no more than its concurrency at once and the rest in order', async () => {
    const queue = new WorkQueue({ concurrency: 2, maxWaiting: 10 });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        queue.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((done) => setTimeout(done, 5));
          order.push(i);
          active -= 1;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.equal(queue.stats.ran, 6);
  });

  it('refuses with SERVICE_UNAVAILABLE and a Retry-After once more than maxWaiting tasks wait', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxWaiting: 2 });
    const gate = deferred();
    const held = [queue.run(() => gate.promise), queue.run(async () => {}), queue.run(async () => {})];
    await assert.rejects(queue.run(async () => {}), (error: unknown) => error instanceof DomainError && error.code === 'SERVICE_UNAVAILABLE' && error.extra.retryAfterSeconds === 1);
    gate.resolve();
    await Promise.all(held);
    assert.deepEqual(queue.stats, { ran: 3, shed: 1, dropped: 0 });
    await queue.run(async () => {});
  });

  it('drops a waiting task whose caller has gone, without running it, and goes on with the next', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxWaiting: 5 });
    const gate = deferred();
    let gone = false;
    let ranAbandoned = false;
    const first = queue.run(() => gate.promise);
    const abandoned = queue.run(async () => {
      ranAbandoned = true;
    }, () => gone);
    const next = queue.run(async () => 'next');
    gone = true;
    gate.resolve();
    await first;
    await assert.rejects(abandoned, CallerGoneError);
    assert.equal(await next, 'next');
    assert.equal(ranAbandoned, false);
    assert.deepEqual(queue.stats, { ran: 2, shed: 0, dropped: 1 });
  });
});
