// The bench's judgement of a window and of the held ratio (scripts/bench/report.ts): a window
// missed while the hypervisor held the server's core is the machine's, gets a third window, and
// a ramp it ends cannot show a ratio met.
import assert from 'node:assert/strict';
import { spanning, type ServerFigures } from '../scripts/bench/metrics.js';
import { judgeWindow, LowerBound, metric, notMeasured, windowsFor, type BotFigures, type Result, type Row } from '../scripts/bench/report.js';

const held = { ticks: 400, lateTicks: 0, latePatches: 0, clients: 500 };
const bots = { connected: 500, botCpuPercent: 30, botLoopP99: 20 };

function row(steady: boolean, stealPercent: number | undefined): Row {
  const server = { ...held, lateTicks: steady ? 0 : 3, rooms: 1, seconds: 10, tickP50: 1, tickP99: 5, tickMaxGap: steady ? 60 : 120, patchP50: 1, patchP99: 5, patchMaxGap: 60, cpuPercent: 40, rssMb: 200, heapMb: 80, loopP99: 5, longGcs: 0, gcMaxPause: 3, lateAcrossGc: 0 } satisfies ServerFigures;
  const botFigures = { ...bots, bots: 500, decoders: 25, bytesPerClientPerSecond: 2000, framesPerClientPerSecond: 20, transfers: 0, transferFailures: 0, transferP50: 0, transferP99: 0, transferToMessageP99: 0, transferToJoinedP99: 0, transferSlowest: null, leaveCodes: {} } satisfies BotFigures;
  return { asked: 500, server, bots: botFigures, joinFailures: 0, ...judgeWindow(server, botFigures, 500, stealPercent), stealPercent };
}

describe('bench report: windows and the held ratio', () => {
  it('calls a window steady only with ticks, none late, every bot connected', () => {
    assert.deepEqual(judgeWindow(held, bots, 500, 0), { steady: true, botLimited: false, machineLimited: false });
    assert.equal(judgeWindow({ ...held, latePatches: 1 }, bots, 500, 0).steady, false);
    assert.equal(judgeWindow(held, { ...bots, connected: 499 }, 500, 0).steady, false);
    assert.equal(judgeWindow({ ...held, ticks: 0 }, bots, 500, 0).steady, false);
    assert.equal(judgeWindow(held, { ...bots, botCpuPercent: 95 }, 500, 0).botLimited, true);
  });

  it('calls a missed window machine-limited above 5 % steal, and a steady one never', () => {
    assert.equal(judgeWindow({ ...held, lateTicks: 2 }, bots, 500, 25).machineLimited, true);
    assert.equal(judgeWindow({ ...held, lateTicks: 2 }, bots, 500, 4).machineLimited, false);
    assert.equal(judgeWindow({ ...held, lateTicks: 2 }, bots, 500, undefined).machineLimited, false, 'no /proc/stat: nothing to say');
    assert.equal(judgeWindow(held, bots, 500, 40).machineLimited, false);
  });

  it('gives a step a third window only after one with steal over 5 %', () => {
    assert.equal(windowsFor(undefined), 2);
    assert.equal(windowsFor(row(false, 3)), 2);
    assert.equal(windowsFor(row(false, 12)), 3);
  });

  it('reports the held ratio as not measured when bare stopped on a machine-limited step, and counts it otherwise', () => {
    const ours: Result = { target: 'ours', idleRssMb: 170, rows: [row(true, 1)], held: 750 };
    const bare: Result = { target: 'bare', idleRssMb: 100, rows: [row(false, 27)], held: 250, heldIsLowerBound: LowerBound.machine };
    assert.equal(metric('heldRatio', [ours, bare]), undefined);
    assert.match(notMeasured('heldRatio', [ours, bare]), /not measured: ≤ 3.00 \(bare held ≥ 250: the hypervisor took over 5 %/);
    const { heldIsLowerBound: _, ...bareAtItsLimit } = bare;
    assert.equal(metric('heldRatio', [ours, bareAtItsLimit]), 3);
  });

  it('gives no bound of the held ratio when both ramps ended short of their server (ours at its top, bare on the bots)', () => {
    const ours: Result = { target: 'ours', idleRssMb: 170, rows: [row(true, 0)], held: 3000, heldIsLowerBound: LowerBound.rampTop };
    const bare: Result = { target: 'bare', idleRssMb: 100, rows: [row(true, 0)], held: 2250, heldIsLowerBound: LowerBound.bots };
    assert.equal(metric('heldRatio', [ours, bare]), undefined);
    const said = notMeasured('heldRatio', [ours, bare]);
    assert.match(said, /^not measured: ours held ≥ 3000 \(.+\), bare held ≥ 2250 \(.+\)$/);
    assert.doesNotMatch(said, /≤/);
  });

  it('counts the late gaps that hold a whole long collection, each once', () => {
    // Gaps 0-100, 200-290 and 400-480; pauses 10-30 and 40-60 (both in the first), 250-300 (past the second's end), 410-470.
    assert.equal(spanning([0, 100, 200, 290, 400, 480], [10, 30, 40, 60, 250, 300, 410, 470]), 2);
    assert.equal(spanning([0, 100], []), 0);
    assert.equal(spanning([], [10, 30]), 0);
  });
});
