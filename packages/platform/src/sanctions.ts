import { ErrorCode, type AccountSanctions, type ActiveSanction, type BusEvent, type SanctionNotice } from '@mmo/shared';
import type { EventBus } from './bus/event-bus.js';
import { DomainError } from './errors.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Clock } from './tokens.js';

interface Entry {
  ban: ActiveSanction | null;
  mute: ActiveSanction | null;
}

function endOf(sanction: ActiveSanction): number {
  return sanction.endsAt === null ? Number.POSITIVE_INFINITY : Date.parse(sanction.endsAt);
}

/**
 * The bans and mutes in force, by account, in every process: fed by `account.sanctions`
 * events and reloaded from the database at start and after a Redis reconnect, like
 * `SessionDenylist`. Each entry carries its end and is read against the clock, so a sanction
 * ends on time in every process without any message or restart.
 */
export class SanctionList {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock = Date.now) {}

  /** Replaces what is known of one account with the set an event or the database gave. */
  apply(sanctions: AccountSanctions): void {
    if (!sanctions.ban && !sanctions.mute) this.entries.delete(sanctions.accountId);
    else this.entries.set(sanctions.accountId, { ban: sanctions.ban, mute: sanctions.mute });
  }

  /** Replaces everything (a reload from the database). */
  replaceAll(all: readonly AccountSanctions[]): void {
    this.entries.clear();
    for (const sanctions of all) this.apply(sanctions);
  }

  /** The ban in force on an account now, if any. */
  banOf(accountId: string): ActiveSanction | null {
    return this.current(accountId, 'ban');
  }

  /** The mute in force on an account now, if any. */
  muteOf(accountId: string): ActiveSanction | null {
    return this.current(accountId, 'mute');
  }

  /** Throws `ACCOUNT_BANNED` with the ban's reason and end when the account is banned now. */
  assertNotBanned(accountId: string): void {
    const ban = this.banOf(accountId);
    if (ban) throw bannedError(ban);
  }

  /** Throws `MUTED` with the mute's reason and end when the account is muted now. */
  assertNotMuted(accountId: string): void {
    const mute = this.muteOf(accountId);
    if (mute) throw mutedError(mute);
  }

  /** Accounts with a ban or mute in force now (for tests and the live view). */
  get size(): number {
    this.prune();
    return this.entries.size;
  }

  /** Forgets sanctions that have ended. */
  prune(): void {
    for (const [accountId, entry] of this.entries) {
      const now = this.clock();
      const ban = entry.ban && endOf(entry.ban) > now ? entry.ban : null;
      const mute = entry.mute && endOf(entry.mute) > now ? entry.mute : null;
      this.apply({ accountId, ban, mute });
    }
  }

  private current(accountId: string, kind: 'ban' | 'mute'): ActiveSanction | null {
    const sanction = this.entries.get(accountId)?.[kind] ?? null;
    return sanction && endOf(sanction) > this.clock() ? sanction : null;
  }
}

/** What a client is told about a ban or mute. */
export function sanctionNotice(kind: 'ban' | 'mute', sanction: ActiveSanction): SanctionNotice {
  return { kind, reason: sanction.reason, endsAt: sanction.endsAt };
}

function untilText(sanction: ActiveSanction): string {
  return sanction.endsAt === null ? 'permanently' : `until ${sanction.endsAt}`;
}

/** `ACCOUNT_BANNED` carrying the ban's reason and end. */
export function bannedError(ban: ActiveSanction): DomainError {
  return new DomainError(ErrorCode.ACCOUNT_BANNED, `This account is banned ${untilText(ban)}: ${ban.reason}`, { sanction: sanctionNotice('ban', ban) });
}

/** `MUTED` carrying the mute's reason and end. */
export function mutedError(mute: ActiveSanction): DomainError {
  return new DomainError(ErrorCode.MUTED, `This account is muted ${untilText(mute)}: ${mute.reason}`, { sanction: sanctionNotice('mute', mute) });
}

/**
 * The bans and mutes in force now, by account (or of one account), read from the `sanctions`
 * table (lifted or ended ones left out). The newest of each kind wins, as it does when one is issued.
 */
export async function loadActiveSanctions(prisma: PrismaClient, now: number, accountId?: string): Promise<AccountSanctions[]> {
  const rows = await prisma.sanction.findMany({
    where: {
      ...(accountId ? { accountId } : {}),
      kind: { in: ['ban', 'mute'] },
      liftedAt: null,
      OR: [{ endsAt: null }, { endsAt: { gt: new Date(now) } }],
    },
    orderBy: { startsAt: 'asc' },
  });
  const byAccount = new Map<string, AccountSanctions>();
  for (const row of rows) {
    const entry = byAccount.get(row.accountId) ?? { accountId: row.accountId, ban: null, mute: null };
    const active: ActiveSanction = { id: row.id, reason: row.reason, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt?.toISOString() ?? null };
    if (row.kind === 'ban') entry.ban = active;
    else entry.mute = active;
    byAccount.set(row.accountId, entry);
  }
  return [...byAccount.values()];
}

/**
 * Keeps a sanction list current: follows `account.sanctions`, then loads what is in force from
 * the database (after subscribing, so nothing issued in between is missed; events that arrive
 * while the load runs are applied again after it, so a stale read cannot undo them). Returns
 * the reload (for a Redis reconnect) and a stop function.
 */
export async function followSanctions(
  bus: EventBus,
  prisma: PrismaClient,
  sanctions: SanctionList,
  clock: Clock,
): Promise<{ catchUp(): Promise<number>; stop(): Promise<void> }> {
  let during: BusEvent<'account.sanctions'>[] | null = null;
  const unsubscribe = await bus.subscribe('account.sanctions', (event) => {
    sanctions.apply(event);
    during?.push(event);
  });
  const catchUp = async () => {
    during = [];
    try {
      const all = await loadActiveSanctions(prisma, clock());
      sanctions.replaceAll(all);
      for (const event of during) sanctions.apply(event);
      return all.length;
    } finally {
      during = null;
    }
  };
  await catchUp();
  const timer = setInterval(() => sanctions.prune(), 60_000);
  timer.unref();
  return {
    catchUp,
    async stop() {
      clearInterval(timer);
      await unsubscribe();
    },
  };
}
