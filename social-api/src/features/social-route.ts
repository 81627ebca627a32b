import { defineRoute, type AnyObject, type NoFields, type ApiRoute, type AuthContext, type RouteInput } from '@mmo/platform';
import { actingCharacterHeadersSchema, ErrorCode } from '@mmo/shared';
import type { z } from 'zod';
import type { SocialDeps } from '../social.deps.js';
import { resolveActor, type Actor } from './characters.js';

export interface SocialRouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType | undefined>
  extends Omit<ApiRoute<P, Q, B, AnyObject, R, 'player'>, 'access' | 'headers' | 'handle'> {
  handle(
    input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>, unknown, AuthContext> & { actor: Actor },
  ): Promise<R extends z.ZodType ? z.input<R> : void>;
}

/**
 * A player route that acts as one of the account's characters, named by the
 * `X-Character-Id` header; the handler receives it checked as `actor`.
 */
export function socialRoute<
  P extends AnyObject = NoFields,
  Q extends AnyObject = NoFields,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType | undefined = undefined,
>(deps: Pick<SocialDeps, 'prisma'>, spec: SocialRouteSpec<P, Q, B, R>): ApiRoute {
  return defineRoute({
    ...spec,
    access: 'player',
    headers: actingCharacterHeadersSchema,
    errors: [ErrorCode.CHARACTER_NOT_FOUND, ...(spec.errors ?? [])],
    handle: async (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>, Record<string, string>, AuthContext>) =>
      spec.handle({ ...input, actor: await resolveActor(deps.prisma, input.auth, input.headers) }),
  } as unknown as ApiRoute);
}
