// What `npm run bench:game` measures and how it prints and checks it: the scenarios' shape, a
// window's figures (a row), a server's result, the Markdown tables and the budgets of
// scripts/bench/budgets.json. The orchestrator (scripts/bench-game.ts) runs the phases.
import { z } from 'zod';
import type { ServerFigures } from './metrics.js';

export type Target = 'ours' | 'bare';
export interface Scenario {
  id: string;
  title: string;
  perInstance: number;
  monsters: number;
  /** Crowd sizes measured one after another (a ramp stops at the first that is not steady). */
  steps: number[];
  ramp: boolean;
  targets: Target[];
  portalBots: number;
  /** Idle only: no bots. */
  idle?: boolean;
  /** Decoders per instance at most, when lower than `--max-decoders`. */
  maxDecoders?: number;
}

export interface BotFigures {
  connected: number;
  bots: number;
  decoders: number;
  bytesPerClientPerSecond: number;
  /** WebSocket frames each client received a second (a patch with its tick's messages is one). */
  framesPerClientPerSecond: number;
  botCpuPercent: number;
  botLoopP99: number;
  transfers: number;
  transferFailures: number;
  transferP50: number;
  transferP99: number;
  /** The p99 of each part of a transfer: the step sent → the `transfer` message (the source room's tick, save and seat), and that message → joined (connect, the destination's load). */
  transferToMessageP99: number;
  transferToJoinedP99: number;
  /** The slowest transfer's two parts, ms (null without transfers). */
  transferSlowest: { toMessage: number; toJoined: number } | null;
  leaveCodes: Record<string, number>;
}
export interface Row {
  asked: number;
  server: ServerFigures;
  bots: BotFigures;
  joinFailures: number;
  steady: boolean;
  botLimited: boolean;
  /**
   * Not steady while the hypervisor took more than STEAL_LIMIT % of the server's core: the
   * figure is the machine's as much as the server's. (A steady window is the server's either way.)
   */
  machineLimited: boolean;
  /** Steal time on the server's core during the window, % (undefined where the kernel does not say). */
  stealPercent: number | undefined;
}
export interface Result {
  target: Target;
  idleRssMb: number;
  rows: Row[];
  /** The largest crowd held at a steady 20 Hz (0 if none). */
  held: number;
  /** Why the server may hold more than `held`, if it may (a ramp that never found the server's limit). */
  heldIsLowerBound?: LowerBound;
}

/** Why a ramp's figure is only a lower bound; the words are printed as they are. */
export const LowerBound = {
  bots: "the bots' core saturated first",
  rampTop: 'the ramp ended steady at its top (--ramp-max)',
  machine: "the hypervisor took over 5 % of the server's core in the next step's windows",
} as const;
export type LowerBound = (typeof LowerBound)[keyof typeof LowerBound];

/** Steal time on the server's core, %, above which a missed window is measured a third time. */
export const STEAL_LIMIT = 5;
/** A bots' core this busy, or lagging this much, limits what the bench can say about the server. */
export const BOT_CPU_LIMIT = 90;
export const BOT_LAG_LIMIT_MS = 150;

/** What a window says: whether the server held it, and whether the bots or the host limited it. */
export type WindowVerdict = Pick<Row, 'steady' | 'botLimited' | 'machineLimited'>;

/**
 * Steady: ticks ran, none of them or of the patches late, every bot connected and counted by
 * the server. Bot-limited: the bots' core saturated or lagged. Machine-limited: not steady while
 * the hypervisor took more than STEAL_LIMIT % of the server's core.
 */
export function judgeWindow(
  server: Pick<ServerFigures, 'ticks' | 'lateTicks' | 'latePatches' | 'clients'>,
  bots: Pick<BotFigures, 'connected' | 'botCpuPercent' | 'botLoopP99'>,
  size: number,
  stealPercent: number | undefined,
): WindowVerdict {
  const steady = server.ticks > 0 && server.lateTicks === 0 && server.latePatches === 0 && bots.connected === size && server.clients >= size;
  return {
    steady,
    botLimited: bots.botCpuPercent > BOT_CPU_LIMIT || bots.botLoopP99 > BOT_LAG_LIMIT_MS,
    machineLimited: !steady && (stealPercent ?? 0) > STEAL_LIMIT,
  };
}

/** How many windows a step may take: a second after a miss, a third after one with steal over STEAL_LIMIT %. */
export function windowsFor(last: Pick<Row, 'stealPercent'> | undefined): number {
  return (last?.stealPercent ?? 0) > STEAL_LIMIT ? 3 : 2;
}

// --- Printing ------------------------------------------------------------------------------

export const fixed = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');

export function lastRow(result: Result | undefined): Row | undefined {
  if (!result) return undefined;
  // For a ramp, the largest steady step (or the first when none was).
  return [...result.rows].reverse().find((row) => row.steady) ?? result.rows[0];
}

export const rssPer100 = (result: Result, row: Row) => ((row.server.rssMb - result.idleRssMb) / Math.max(1, row.bots.connected)) * 100;
export const cpuPer100 = (row: Row) => (row.server.cpuPercent / Math.max(1, row.bots.connected)) * 100;

export function table(scenario: Scenario, results: Result[]): string[] {
  const lines = [
    `### ${scenario.title}`,
    '',
    '| server | players (connected / asked) | steady 20 Hz | CPU | CPU per 100 players | tick p50 / p99 ms | tick max gap ms | patch p99 ms | patch max gap ms | late ticks | bytes/player/s | RSS idle | RSS per 100 players | bots\' CPU | steal |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    if (scenario.idle) {
      lines.push(`| ${result.target} | – | – | – | – | – | – | – | – | – | – | ${fixed(result.idleRssMb)} MB | – | – | – |`);
      continue;
    }
    for (const row of result.rows) {
      const s = row.server;
      lines.push(
        `| ${result.target} | ${row.bots.connected} / ${row.asked} | ${row.steady ? 'yes' : 'no'}${row.botLimited ? ' (bot-limited)' : ''}${row.machineLimited ? ' (machine-limited)' : ''} | ${fixed(s.cpuPercent)} % | ${fixed(cpuPer100(row), 1)} % | ` +
          `${fixed(s.tickP50, 2)} / ${fixed(s.tickP99, 2)} | ${fixed(s.tickMaxGap)} | ${fixed(s.patchP99, 2)} | ${fixed(s.patchMaxGap)} | ${s.lateTicks} | ${fixed(row.bots.bytesPerClientPerSecond)} | ` +
          `${fixed(result.idleRssMb)} MB | ${fixed(rssPer100(result, row), 1)} MB | ${fixed(row.bots.botCpuPercent)} % | ${row.stealPercent === undefined ? '–' : `${fixed(row.stealPercent, 1)} %`} |`,
      );
    }
    if (scenario.ramp) lines.push(`| ${result.target}: most held at a steady 20 Hz | **${result.heldIsLowerBound ? '≥ ' : ''}${result.held}**${result.heldIsLowerBound ? ` (${result.heldIsLowerBound})` : ''} | | | | | | | | | | | | | |`);
  }
  const transfers = results.flatMap((r) => r.rows).filter((row) => row.bots.transfers + row.bots.transferFailures > 0);
  for (const { bots } of transfers) {
    const slowest = bots.transferSlowest ? `; the slowest ${fixed(bots.transferSlowest.toMessage)} + ${fixed(bots.transferSlowest.toJoined)} ms` : '';
    lines.push(
      '',
      `Zone transfers: ${bots.transfers} (failed ${bots.transferFailures}), p50 ${fixed(bots.transferP50)} ms, p99 ${fixed(bots.transferP99)} ms (step onto the portal sent → joined in the destination room); ` +
        `p99 of each part: ${fixed(bots.transferToMessageP99)} ms to the \`transfer\` message (the source room's tick, save and seat), ${fixed(bots.transferToJoinedP99)} ms from it to joined (connect, the destination's load)${slowest}.`,
    );
  }
  const ours = results.find((r) => r.target === 'ours');
  const bare = results.find((r) => r.target === 'bare');
  if (ours && bare) {
    const [o, b] = [lastRow(ours), lastRow(bare)];
    const ratios = [`idle RSS ${fixed(ours.idleRssMb / bare.idleRssMb, 2)}×`];
    if (o && b) {
      if (scenario.ramp) {
        // Both lower bounds: nothing can be said of the ratio.
        const bound = bare.heldIsLowerBound ? (ours.heldIsLowerBound ? '? ' : '≤ ') : ours.heldIsLowerBound ? '≥ ' : '';
        ratios.unshift(`players held ${bound}${bare.held ? fixed(ours.held / bare.held, 2) : 'n/a'}×`);
      }
      ratios.push(`CPU per player ${fixed(cpuPer100(o) / cpuPer100(b), 2)}×`, `bytes per player ${fixed(o.bots.bytesPerClientPerSecond / b.bots.bytesPerClientPerSecond, 2)}×`);
    }
    lines.push('', `Ours / bare: ${ratios.join(', ')}.`);
  }
  const joinFailures = results.flatMap((r) => r.rows).reduce((n, row) => n + row.joinFailures, 0);
  if (joinFailures > 0) lines.push('', `Bots that failed to join after retries: ${joinFailures}.`);
  return [...lines, ''];
}

// --- Budgets -------------------------------------------------------------------------------

const budgetSchema = z.object({ name: z.string(), metric: z.string(), scenario: z.string(), min: z.number().optional(), max: z.number().optional() });
export const budgetsFileSchema = z.object({ full: z.array(budgetSchema), smoke: z.array(budgetSchema) });

export function metric(name: string, results: Result[]): number | undefined {
  const ours = results.find((r) => r.target === 'ours');
  const bare = results.find((r) => r.target === 'bare');
  const row = lastRow(ours);
  switch (name) {
    case 'heldRatio':
      // Bare's figure is only a lower bound when its ramp did not find its server's limit (the
      // bots saturated first, or the ramp ended steady): the ratio is then an upper bound, which
      // cannot show a minimum met.
      return ours && bare?.held && !bare.heldIsLowerBound ? ours.held / bare.held : undefined;
    case 'steady':
      return row ? Number(row.steady) : undefined;
    case 'bytesPerPlayer':
      return row?.bots.bytesPerClientPerSecond;
    case 'tickP99':
      return row?.server.tickP99;
    case 'rssPer100':
      return ours && row ? rssPer100(ours, row) : undefined;
    case 'idleRssRatio':
      return ours && bare ? ours.idleRssMb / bare.idleRssMb : undefined;
    case 'transferP99':
      return row && row.bots.transfers > 0 ? row.bots.transferP99 : undefined;
    case 'transfers':
      return row?.bots.transfers;
    case 'connectedShare':
      return row ? row.bots.connected / row.asked : undefined;
    case 'bareConnectedShare': {
      const bareRow = lastRow(bare);
      return bareRow ? bareRow.bots.connected / bareRow.asked : undefined;
    }
    default:
      return undefined;
  }
}

/** Why a metric has no value: for the held ratio with bare's figure a lower bound, the bound it has (none when ours's is a lower bound too). */
export function notMeasured(name: string, results: Result[]): string {
  const ours = results.find((r) => r.target === 'ours');
  const bare = results.find((r) => r.target === 'bare');
  if (name === 'heldRatio' && ours && bare?.held && bare.heldIsLowerBound) {
    // Ours a lower bound too: the ratio could be anything, its bound says nothing either way.
    if (ours.heldIsLowerBound) return `not measured: ours held ≥ ${ours.held} (${ours.heldIsLowerBound}), bare held ≥ ${bare.held} (${bare.heldIsLowerBound})`;
    return `not measured: ≤ ${fixed(ours.held / bare.held, 2)} (bare held ≥ ${bare.held}: ${bare.heldIsLowerBound})`;
  }
  return 'not measured';
}
