// Steal time: the share of a core's time the hypervisor gave to other guests. On a virtual
// machine it stalls a process however idle its core looks (the bench saw 100+ ms gaps at 38 %
// CPU on a morning with 3–8 % steal), so each window reports it beside the server's figures.
import { readFileSync } from 'node:fs';

export interface CoreTimes {
  /** Every jiffy the core counted (user through steal). */
  readonly total: number;
  readonly steal: number;
}

/** The kernel's counters for one core (`cpuN` in /proc/stat), or every core together; undefined where there is no /proc/stat. */
export function coreTimes(core: number | 'all'): CoreTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const label = core === 'all' ? 'cpu' : `cpu${core}`;
  const line = stat.split('\n').find((l) => l.startsWith(`${label} `));
  if (!line) return undefined;
  // user nice system idle iowait irq softirq steal (guest and guest_nice are within user and nice).
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: fields.reduce((sum, v) => sum + v, 0), steal: fields[7] ?? 0 };
}

/** Steal between two readings, as a percentage of the core's time; undefined without both. */
export function stealPercent(before: CoreTimes | undefined, after: CoreTimes | undefined): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return ((after.steal - before.steal) / (after.total - before.total)) * 100;
}
