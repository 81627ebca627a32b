import { ErrorCode } from '@mmo/shared';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { createAuditTrail, type AuditTrail, type RouteAuditSpec } from '../audit.js';
import { DomainError, httpStatusByCode, parseInput } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AccessTokenVerifier, AuthContext } from '../tokens.js';
import { requireAuth, authOf } from './auth.js';

/**
 * Who may call a route: anyone, any logged-in player, moderators (and admins), or admins
 * only. Every `moderator` and `admin` route writes an audit row.
 */
export type RouteAccess = 'public' | 'player' | 'moderator' | 'admin';

/** Routes whose every call is written to the audit log. */
export function isStaffRoute(route: Pick<ApiRoute, 'access'>): boolean {
  return route.access === 'moderator' || route.access === 'admin';
}

/** A schema of an object: path, query and header parameters. */
export type AnyObject = z.ZodType<Record<string, unknown>>;

/** The schema type of a part of the request a route does not read. */
export type NoFields = z.ZodObject<Record<string, never>>;

/** What a handler receives: every part of the request already parsed with its schema. */
export interface RouteInput<P, Q, B, H, A> {
  params: P;
  query: Q;
  body: B;
  headers: H;
  auth: A;
  /**
   * The audit row of this request (moderator and admin routes): pass it to the service that
   * makes the change to write the row in its transaction; otherwise the route writes it after.
   */
  audit: AuditTrail;
  req: Request;
  /** For the rare handler that needs it (passport); handlers return the body rather than send it. */
  res: Response;
}

/**
 * One HTTP operation, described once: the route is mounted from it and the OpenAPI document
 * is generated from it, so the two cannot drift apart. Handlers parse nothing themselves and
 * return the body; the declared response schema checks it on the way out.
 */
export interface ApiRoute<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
  H extends AnyObject = AnyObject,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  Acc extends RouteAccess = RouteAccess,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax: `/social/parties/:partyId`. */
  path: string;
  summary: string;
  tag: string;
  access: Acc;
  params?: P;
  query?: Q;
  body?: B;
  headers?: H;
  /** The success status: 200 by default, 201 for creations, 204 when `response` is absent. */
  status?: number;
  response?: R;
  /** Domain errors the operation answers with besides the generic ones of its access level. */
  errors?: readonly ErrorCode[];
  /**
   * Middleware run before authentication (CORS and caching headers, per-address limits),
   * made when the route is mounted: route tables are also built only to be documented, from
   * dependencies that must not be touched then.
   */
  before?: () => readonly RequestHandler[];
  /** Moderator and admin routes: what their audit row says (required: mounting fails without it). */
  audit?: RouteAuditSpec;
  handle(
    input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>, z.infer<H>, Acc extends 'public' ? undefined : AuthContext>,
  ): Promise<R extends z.ZodType ? z.input<R> : void>;
}

/** Keeps a route's literal types for inference; returns it unchanged. */
export function defineRoute<
  P extends AnyObject = NoFields,
  Q extends AnyObject = NoFields,
  B extends z.ZodType = z.ZodUndefined,
  H extends AnyObject = NoFields,
  R extends z.ZodType | undefined = undefined,
  Acc extends RouteAccess = RouteAccess,
>(route: ApiRoute<P, Q, B, H, R, Acc>): ApiRoute {
  return route as unknown as ApiRoute;
}

function successStatus(route: ApiRoute): number {
  return route.status ?? (route.response ? 200 : 204);
}

const MODERATOR_ROLES = new Set(['moderator', 'admin']);

/** Where a service's route table writes the audit rows of its moderator routes. */
export interface RouteAuditLog {
  /** The service's name in the log: `primary`, `player`, `social`. */
  service: string;
  prisma: PrismaClient;
}

/** A trail that refuses to write: the input of routes that are not audited. */
const noAudit: AuditTrail = {
  recorded: false,
  record() {
    return Promise.reject(new Error('only moderator and admin routes write audit rows'));
  },
};

function reasonOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { reason } = body as { reason?: unknown };
  return typeof reason === 'string' ? reason : null;
}

/**
 * Mounts routes on a new router. Each authorises, parses, calls its handler and answers. A
 * moderator or admin route also writes its audit row (see `AuditTrail`); a table holding one
 * without an `audit` declaration, or mounted without an audit log, fails here, at start.
 */
export function mountRoutes(routes: readonly ApiRoute[], verifier: AccessTokenVerifier, auditLog?: RouteAuditLog): Router {
  const router = Router();
  const authenticate = requireAuth(verifier);
  for (const route of routes) {
    if (isStaffRoute(route) && (!route.audit || !auditLog)) {
      throw new Error(`${route.method.toUpperCase()} ${route.path} is a ${route.access} route: it needs an audit declaration and an audit log`);
    }
    const middleware = [...(route.before?.() ?? []), ...(route.access === 'public' ? [] : [authenticate])];
    router[route.method](route.path, ...middleware, async (req, res) => {
      const auth = route.access === 'public' ? undefined : authOf(res);
      if (route.access === 'moderator' && !MODERATOR_ROLES.has(auth!.role)) {
        throw new DomainError(ErrorCode.FORBIDDEN, 'This needs a moderator account.');
      }
      if (route.access === 'admin' && auth!.role !== 'admin') {
        throw new DomainError(ErrorCode.FORBIDDEN, 'This needs an admin account.');
      }
      const parsed = {
        params: route.params ? parseInput(route.params, req.params) : {},
        query: route.query ? parseInput(route.query, req.query) : {},
        body: route.body ? parseInput(route.body, req.body ?? {}) : undefined,
      };
      const trail =
        isStaffRoute(route) && route.audit && auditLog
          ? createAuditTrail({
              service: auditLog.service,
              actorId: auth!.accountId,
              action: route.audit.action,
              targetType: route.audit.targetType,
              targetId: route.audit.targetId?.(parsed as never) ?? '-',
              reason: reasonOf(parsed.body),
              ip: req.ip ?? null,
              details: Object.keys(parsed.params).length > 0 || Object.keys(parsed.query).length > 0 ? { params: parsed.params, query: parsed.query } : {},
            })
          : undefined;
      const input = {
        ...parsed,
        headers: route.headers ? parseInput(route.headers, req.headers) : {},
        auth,
        audit: trail ?? noAudit,
        req,
        res,
      };
      const result = await route.handle(input as never);
      // Written after the change succeeded (unless the handler wrote it in its transaction);
      // if this write fails the request answers 500 although the change was made, which the
      // moderator sees, rather than an action that silently left no record.
      if (trail) await trail.flush(auditLog!.prisma);
      const status = successStatus(route);
      if (!route.response) {
        res.status(status).end();
        return;
      }
      // A handler returning something outside its contract is a bug on our side: it fails
      // here as a 500 rather than leaking a field the document does not promise.
      res.status(status).json(route.response.parse(result));
    });
  }
  return router;
}

/** The error codes any route of an access level can answer with. */
function genericErrors(route: ApiRoute): ErrorCode[] {
  const codes: ErrorCode[] = [ErrorCode.VALIDATION_FAILED, ErrorCode.RATE_LIMITED, ErrorCode.SERVICE_UNAVAILABLE];
  if (route.access !== 'public') codes.push(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED, ErrorCode.SESSION_REVOKED);
  if (isStaffRoute(route)) codes.push(ErrorCode.FORBIDDEN);
  return codes;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: AnyObject | undefined, where: 'path' | 'query' | 'header'): Record<string, unknown>[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

/** Express `/a/:id` as OpenAPI `/a/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * The OpenAPI 3.1 document of a set of routes: paths, parameters, bodies and responses from
 * their zod schemas, and each operation's error codes grouped by HTTP status.
 */
export function buildOpenApiDocument(info: { title: string; version: string; description?: string }, routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorBody = { $ref: '#/components/schemas/Error' };
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    const status = String(successStatus(route));
    responses[status] = route.response
      ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } }
      : { description: 'Success, no body' };
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of new Set([...genericErrors(route), ...(route.errors ?? [])])) {
      const httpStatus = httpStatusByCode[code];
      byStatus.set(httpStatus, [...(byStatus.get(httpStatus) ?? []), code]);
    }
    for (const [httpStatus, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[String(httpStatus)] = {
        description: codes.join(', '),
        ...(httpStatus === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } } } : {}),
        content: { 'application/json': { schema: errorBody } },
      };
    }
    const operation: Record<string, unknown> = {
      operationId: `${route.method}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: route.summary,
      tags: [route.tag],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query'), ...parameters(route.headers, 'header')],
      responses,
    };
    if (route.access !== 'public') operation.security = [{ bearer: [] }];
    if (isStaffRoute(route)) {
      operation['x-required-role'] = route.access;
      operation['x-audit-action'] = route.audit?.action;
    }
    if (route.body) operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } };
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', enum: Object.values(ErrorCode) },
            message: { type: 'string' },
            fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}

/**
 * A stand-in for a service's dependencies when routes are built only to be documented: the
 * handlers are never called, and touching it fails loudly if one is.
 */
export function documentationOnly<T extends object>(): T {
  return new Proxy({} as T, {
    get(_target, key) {
      throw new Error(`routes built for documentation only were used (dependency ${String(key)})`);
    },
  });
}
