import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Express, Router } from 'express';
import request from 'supertest';

/** The `METHOD /path` of every route an Express router mounted, to compare with a document. */
export function mountedOperations(router: { stack: unknown[] }): string[] {
  return router.stack.flatMap((layer) => {
    const route = (layer as { route?: { path: string; methods: Record<string, boolean> } }).route;
    if (!route) return [];
    return Object.keys(route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${route.path}`);
  });
}

/** The `METHOD /path` (Express syntax) of every operation of an OpenAPI document. */
export function documentedOperations(document: Record<string, unknown>): string[] {
  const paths = document.paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1')}`),
  );
}

/** A URL for a documented path, with every parameter filled by a well-formed, unknown id. */
function concretePath(path: string): string {
  return path.replace(/:[A-Za-z0-9_]+/g, '00000000-0000-4000-8000-000000000000');
}

/**
 * The checks every service's OpenAPI document passes: the checked-in file is what the route
 * table generates (`npm run openapi` rewrites it), the router mounts exactly the documented
 * operations, and each documented operation answers as its access level says: 401 without a
 * token, 403 for a player token on moderator routes, never 404 for a route that is not there.
 */
export async function checkOpenApiDocument(options: {
  file: URL;
  document: Record<string, unknown>;
  router: Router;
  app: Express;
  /** An access token of a plain player, to check that moderator routes refuse it. */
  playerToken: string;
}): Promise<void> {
  const file = JSON.parse(await readFile(options.file, 'utf8')) as unknown;
  assert.deepEqual(file, options.document, `${options.file.pathname} is out of date: run npm run openapi`);
  assert.deepEqual(mountedOperations(options.router).sort(), documentedOperations(options.document).sort());
  const paths = options.document.paths as Record<string, Record<string, { security?: unknown; 'x-required-role'?: string }>>;
  for (const operation of documentedOperations(options.document)) {
    const [method, path] = operation.split(' ') as [string, string];
    const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const documented = paths[path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]![verb]!;
    const anonymous = await request(options.app)[verb](concretePath(path));
    if (documented.security) {
      assert.deepEqual([anonymous.status, anonymous.body.code], [401, 'UNAUTHENTICATED'], operation);
    } else {
      assert.notEqual(anonymous.body.code, 'NOT_FOUND', `${operation} is documented but not routed`);
    }
    if (documented['x-required-role'] === 'moderator' || documented['x-required-role'] === 'admin') {
      const refused = await request(options.app)[verb](concretePath(path)).set('authorization', `Bearer ${options.playerToken}`).send({});
      assert.deepEqual([refused.status, refused.body.code], [403, 'FORBIDDEN'], operation);
    }
  }
}
