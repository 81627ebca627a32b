import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { quietPm2Agent } from '../src/game/pm2-agent.js';

type Sampled = { _getActiveHandles(): unknown[]; _getActiveRequests(): unknown[] };

/** `@pm2/io` as Colyseus's matchmaker imports it, then as the game's processes leave it. */
describe('PM2 agent', () => {
  it('no longer lists every handle each second, nor handles uncaught errors, once quieted', async () => {
    // The import starts the default agent, as Colyseus's import does.
    await import('@pm2/io');
    const process_ = process as unknown as Sampled;
    const own = { handles: process_._getActiveHandles, requests: process_._getActiveRequests };
    let calls = 0;
    process_._getActiveHandles = () => (calls += 1, own.handles.call(process));
    process_._getActiveRequests = () => (calls += 1, own.requests.call(process));
    try {
      await sleep(1_100);
      assert.ok(calls > 0, 'the default agent samples every second');
      await quietPm2Agent();
      calls = 0;
      await sleep(2_100);
      assert.equal(calls, 0);
      const pm2Handlers = [...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')].filter((listener) => /onUncaughtException|onUnhandledRejection/.test(listener.name));
      assert.deepEqual(pm2Handlers, []);
    } finally {
      process_._getActiveHandles = own.handles;
      process_._getActiveRequests = own.requests;
    }
  });
});
