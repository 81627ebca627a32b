import { type ServiceHttpOptions, buildOpenApiDocument, createHttpApp, docsRouter, documentationOnly, finishHttpApp, mountRoutes, type ApiRoute } from '@mmo/platform';
import type { Health } from '@mmo/shared';
import type { Express, Router } from 'express';
import { friendRoutes } from './features/friends/friend.routes.js';
import { groupRoutes } from './features/groups/groups.routes.js';
import { guildAdminRoutes } from './features/guilds/guild.admin-routes.js';
import { guildRoutes } from './features/guilds/guild.routes.js';
import { messageAdminRoutes } from './features/messages/message.admin-routes.js';
import { messageRoutes } from './features/messages/message.routes.js';
import { partyRoutes } from './features/parties/party.routes.js';
import type { SocialDeps } from './social.deps.js';

/** Every operation of the social API, in the order the OpenAPI document lists them. */
export function socialRoutes(deps: SocialDeps): ApiRoute[] {
  return [
    ...friendRoutes(deps),
    ...partyRoutes(deps),
    ...guildRoutes(deps),
    ...groupRoutes(deps),
    ...messageRoutes(deps),
    ...messageAdminRoutes(deps),
    ...guildAdminRoutes(deps),
  ];
}

/** Every route of the social API, for mounting at the root of an app, and its OpenAPI document. */
export function createSocialRouter(deps: SocialDeps): Router {
  const router = mountRoutes(socialRoutes(deps), deps.verifier, { service: 'social', prisma: deps.prisma });
  const document = socialOpenApiDocument();
  router.get('/social/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}

/** The OpenAPI document of the social API, generated from its routes (`social-api/openapi.json`). */
export function socialOpenApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(
    {
      title: 'Social API',
      version: '1.0.0',
      description:
        'Friends, blocks and mutes, parties, guilds and private messages. Player routes act as one of the token account characters, named by the X-Character-Id header.',
    },
    socialRoutes(documentationOnly<SocialDeps>()),
  );
}

export function createSocialApp(deps: SocialDeps, options: ServiceHttpOptions): Express {
  const app = createHttpApp({ ...options, logger: deps.logger });
  app.get('/health', (_req, res) => {
    const body: Health = { service: 'social-api', status: 'ok' };
    res.json(body);
  });
  app.use(docsRouter('Social API', [{ name: 'social', document: socialOpenApiDocument() }]));
  app.use(createSocialRouter(deps));
  return finishHttpApp(app, deps.logger);
}
