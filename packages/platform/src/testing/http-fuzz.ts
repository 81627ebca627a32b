import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { Database } from '../db/database.js';

/** A JSON schema as the OpenAPI documents hold them (the parts the generator reads). */
interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  minLength?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: unknown;
}

export interface HttpFuzzOptions {
  app: Express;
  document: Record<string, unknown>;
  /**
   * Callers: none is always tried; these are valid tokens (a player, a moderator). A function
   * is asked again before each operation (a fuzzed logout may have ended a session).
   */
  tokens: readonly string[] | (() => Promise<readonly string[]>);
  /** Headers a caller sends with a token, e.g. `X-Character-Id` of its character. */
  headers?: Record<string, string>;
  /** Well-formed ids the generator uses besides random ones (own characters, sessions). */
  ids?: readonly string[];
  /** The database whose rows no refused request may change. */
  db: Database;
  seed: number;
  casesPerOperation: number;
}

export interface HttpFuzzReport {
  requests: number;
  operations: number;
  statuses: Record<number, number>;
}

/** A small seeded PRNG (mulberry32) for fuzzers: the same seed tries the same inputs in the same order. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HUGE = 'x'.repeat(200_000);
const UNSAFE_TEXT = ['a\u0000b', '\u0000', 'x\uD800', '\uDC00y', 'Bor\u0000in'];
const BAD_IDS = ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', '%00', '%E0%A4%A', '..%2F..%2Fetc', '-1', '1e309', 'a'.repeat(3000), '%uD800', '__proto__', 'constructor'];
const WRONG_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, -0.5, Number.MAX_SAFE_INTEGER + 2, 1e300, '', ' ', [], {}, [1, 'a', null], { a: { b: 1 } }, 'Borin', ...UNSAFE_TEXT];

function deep(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

/** A plausible value for a schema: the starting point each mutation breaks one part of. */
function plausible(schema: JsonSchema | undefined, pick: <T>(values: readonly T[]) => T, ids: readonly string[]): unknown {
  if (!schema) return 'x';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return plausible(pick(variants), pick, ids);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) value[name] = plausible(property, pick, ids);
      return value;
    }
    case 'array':
      return [plausible(schema.items, pick, ids)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return pick([...ids, randomUUID()]);
      if (schema.format === 'date-time') return new Date().toISOString();
      return pick(['Borin', 'Hello there', 'Iron Wolves', 'abc']);
    default:
      return 'x';
  }
}

/** Replaces the value at one random path of `value` (objects and arrays) by `replacement`. */
function replaceSomewhere(value: unknown, replacement: unknown, random: () => number): unknown {
  if (value === null || typeof value !== 'object') return replacement;
  const entries = Object.keys(value as object);
  if (entries.length === 0 || random() < 0.2) return replacement;
  const key = entries[Math.floor(random() * entries.length)]!;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<string, unknown>;
  copy[key] = replaceSomewhere(copy[key], replacement, random);
  return copy;
}

function dropSomewhere(value: unknown, random: () => number): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 0) return value;
  const copy = { ...(value as Record<string, unknown>) };
  delete copy[keys[Math.floor(random() * keys.length)]!];
  return copy;
}

/** A body as it goes on the wire: JSON text (which may be broken on purpose) and its type. */
interface WireBody {
  text?: string;
  contentType?: string;
}

function mutateBody(base: unknown, random: () => number, pick: <T>(values: readonly T[]) => T): WireBody {
  const json = (value: unknown): WireBody => ({ text: JSON.stringify(value), contentType: 'application/json' });
  switch (Math.floor(random() * 12)) {
    case 0:
      return json(replaceSomewhere(base, pick(WRONG_VALUES), random));
    case 1:
      return json(dropSomewhere(base, random));
    case 2:
      return json(typeof base === 'object' && base !== null ? { ...base, extra: 'field', role: 'admin', isAdmin: true } : base);
    case 3:
      return json(replaceSomewhere(base, HUGE.slice(0, Math.floor(random() * 20_000)), random));
    case 4:
      return json(replaceSomewhere(base, deep(200 + Math.floor(random() * 2000)), random));
    case 5:
      return json(replaceSomewhere(base, pick(UNSAFE_TEXT), random));
    case 6: {
      // `__proto__` as an own key, as JSON.parse creates it: it must not reach any prototype.
      const text = JSON.stringify(base ?? {});
      const inject = '"__proto__":{"role":"admin","isAdmin":true,"polluted":1},"constructor":{"prototype":{"polluted":1}}';
      return { text: text.startsWith('{') && text !== '{}' ? `{${inject},${text.slice(1)}` : `{${inject}}`, contentType: 'application/json' };
    }
    case 7:
      return { text: pick(['{', '{"a":', '[1,2', 'nul', '{"a":1}}', '\u0000', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '']), contentType: 'application/json' };
    case 8:
      return { text: JSON.stringify(base), contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16']) };
    case 9:
      return { text: HUGE, contentType: 'application/json' };
    case 10:
      return json(pick(WRONG_VALUES));
    default:
      return json(base);
  }
}

function fillPath(path: string, operation: Operation, pick: <T>(values: readonly T[]) => T, random: () => number, ids: readonly string[]): string {
  const params = (operation.parameters ?? []).filter((p) => p.in === 'path');
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, (_whole, name: string) => {
    const schema = params.find((p) => p.name === name)?.schema;
    if (random() < 0.4) return pick(BAD_IDS);
    if (random() < 0.1) return encodeURIComponent(pick(UNSAFE_TEXT.slice(0, 2)));
    return encodeURIComponent(String(plausible(schema, pick, ids)));
  });
}

function fillQuery(operation: Operation, pick: <T>(values: readonly T[]) => T, random: () => number, ids: readonly string[]): string {
  const params = (operation.parameters ?? []).filter((p) => p.in === 'query');
  const parts: string[] = [];
  for (const param of params) {
    if (random() < 0.3) continue;
    const roll = random();
    const value =
      roll < 0.3 ? String(plausible(param.schema, pick, ids)) : roll < 0.5 ? pick(['-1', '1e309', 'NaN', '99999999999', '', 'true', '[]']) : roll < 0.6 ? '%00' : pick(BAD_IDS);
    const name = random() < 0.1 ? `${param.name}[__proto__][x]` : random() < 0.1 ? `${param.name}[]` : param.name;
    parts.push(`${name}=${value.startsWith('%') ? value : encodeURIComponent(value)}`);
    if (random() < 0.15) parts.push(`${param.name}=${encodeURIComponent(String(plausible(param.schema, pick, ids)))}`);
  }
  if (random() < 0.1) parts.push('__proto__[polluted]=1', 'constructor[prototype][polluted]=1');
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * A checksum of every row of every table (not Prisma's migration log), to prove that a
 * refused request changed nothing.
 */
async function snapshot(db: Database, tables: readonly string[]): Promise<string> {
  const parts = tables.map((table) => `(SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "${table}" t)`);
  const rows = await db.prisma.$queryRawUnsafe<{ s: string }[]>(`SELECT concat_ws(',', ${parts.join(', ')}) AS s`);
  return rows[0]!.s;
}

/**
 * Sends generated malformed requests to every operation of an OpenAPI document, without a
 * token and with each given token: wrong types, missing and extra fields, huge and deep values,
 * NUL and unpaired surrogates, invalid ids, wrong content types, broken JSON, `__proto__` keys.
 * Asserts after each request: no 5xx but a documented 503, every error a JSON `{code,
 * message}`, no row changed by a refused (4xx) request, nothing polluted `Object.prototype`,
 * and the app still answers `/health`. Returns what was tried.
 */
export async function fuzzHttp(options: HttpFuzzOptions): Promise<HttpFuzzReport> {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const ids = options.ids ?? [];
  const tableRows = await options.db.prisma.$queryRawUnsafe<{ tablename: string }[]>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_prisma%' ORDER BY tablename",
  );
  const tables = tableRows.map((row) => row.tablename);
  const report: HttpFuzzReport = { requests: 0, operations: 0, statuses: {} };
  const paths = options.document.paths as Record<string, Record<string, Operation>>;
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      report.operations += 1;
      const tokens = typeof options.tokens === 'function' ? await options.tokens() : options.tokens;
      let rows = await snapshot(options.db, tables);
      const bodySchema = operation.requestBody?.content['application/json']?.schema;
      for (let i = 0; i < options.casesPerOperation; i += 1) {
        const token = i % 3 === 0 ? undefined : pick(tokens);
        const url = fillPath(path, operation, pick, random, ids) + fillQuery(operation, pick, random, ids);
        const body = bodySchema || random() < 0.2 ? mutateBody(plausible(bodySchema, pick, ids), random, pick) : {};
        let call = request(options.app)[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
        if (token) {
          call = call.set('authorization', random() < 0.1 ? `Bearer ${token.slice(0, -3)}abc` : `Bearer ${token}`);
          for (const [name, value] of Object.entries(options.headers ?? {})) call = call.set(name, random() < 0.15 ? pick(BAD_IDS.filter((id) => !id.includes('%'))).slice(0, 200) : value);
        }
        if (body.contentType) call = call.set('content-type', body.contentType);
        const res = body.text === undefined ? await call : await call.send(body.text);
        report.requests += 1;
        report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
        const what = `${method.toUpperCase()} ${url.slice(0, 200)} ${body.contentType ?? ''} ${(body.text ?? '').slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        assert.ok(res.status < 500 || (res.status === 503 && res.body.code === 'SERVICE_UNAVAILABLE'), what);
        if (res.status >= 400) {
          assert.match(String(res.headers['content-type']), /^application\/json/, what);
          assert.equal(typeof res.body.code, 'string', what);
          assert.equal(typeof res.body.message, 'string', what);
        }
        // One checksum per request: the state after the previous request is the state before this one.
        const after = await snapshot(options.db, tables);
        if (res.status >= 400 && res.status < 500) assert.equal(after, rows, `a refused request changed rows: ${what}`);
        rows = after;
        assert.equal(({} as Record<string, unknown>).polluted, undefined, `Object.prototype was polluted: ${what}`);
      }
      const health = await request(options.app).get('/health');
      assert.equal(health.status, 200, `unhealthy after ${method.toUpperCase()} ${path}`);
    }
  }
  return report;
}
