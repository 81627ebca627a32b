import { DomainError } from '@mmo/platform';
import { ErrorCode, type Groups } from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import type { Actor } from '../characters.js';
import { getCurrentGuild } from '../guilds/guild.service.js';
import { getCurrentParty } from '../parties/party.service.js';

/** The actor's party and guild, `null` where it has none; the same views the `current` routes answer. */
export async function currentGroups(deps: SocialDeps, actor: Actor): Promise<Groups> {
  const [party, guild] = await Promise.all([
    orNone(getCurrentParty(deps, actor), ErrorCode.NOT_IN_PARTY),
    orNone(getCurrentGuild(deps, actor), ErrorCode.NOT_IN_GUILD),
  ]);
  return { party, guild };
}

async function orNone<T>(view: Promise<T>, none: ErrorCode): Promise<T | null> {
  try {
    return await view;
  } catch (error) {
    if (error instanceof DomainError && error.code === none) return null;
    throw error;
  }
}
