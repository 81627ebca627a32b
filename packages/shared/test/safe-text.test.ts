import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { clientMessageSchemas, loginRequestSchema, safeText, sendMessageRequestSchema, updateGuildRequestSchema } from '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOCUMENTS = ['server/openapi.json', 'player-api/openapi.json', 'social-api/openapi.json'];
const UNSAFE = ['a\u0000b', 'a\uD800b', 'a\uDC00'];

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  $ref?: string;
}

/**
 * Whether a string field refuses text with NUL or an unpaired surrogate by its schema alone:
 * a fixed set of values, a format such as `uuid`, or a pattern (read as JavaScript reads it,
 * with the `u` flag zod's checks use for `safeText`) that no unsafe sample matches.
 */
function refusesUnsafeText(schema: JsonSchema): boolean {
  if (schema.enum || schema.const !== undefined || schema.format) return true;
  const patterns = [schema.pattern, ...(schema.allOf ?? []).map((part) => part.pattern)].filter((p): p is string => p !== undefined);
  return patterns.some((pattern) => UNSAFE.every((sample) => !new RegExp(pattern, 'u').test(sample)));
}

/** The path of every string field under `schema` that would accept unsafe text. */
function unsafeStringFields(schema: JsonSchema, at: string): string[] {
  const found: string[] = [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string') && !refusesUnsafeText(schema)) found.push(at);
  for (const [name, property] of Object.entries(schema.properties ?? {})) found.push(...unsafeStringFields(property, `${at}.${name}`));
  if (schema.items) found.push(...unsafeStringFields(schema.items, `${at}[]`));
  if (typeof schema.additionalProperties === 'object') found.push(...unsafeStringFields(schema.additionalProperties, `${at}{}`));
  for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) found.push(...unsafeStringFields(part, at));
  return found;
}

interface Operation {
  parameters?: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

describe('safe text in the shared contract', () => {
  it('refuses NUL and unpaired surrogates and keeps emoji and other paired surrogates', () => {
    for (const sample of UNSAFE) assert.equal(safeText().safeParse(sample).success, false, JSON.stringify(sample));
    assert.equal(safeText().safeParse('héllo 😀 日本').success, true);
  });

  it('refuses NUL in the login, message and guild message-of-the-day bodies with a field error', () => {
    const login = loginRequestSchema.safeParse({ username: 'ari\u0000a', password: 'correct horse', device: 'x\uD800' });
    assert.equal(login.success, false);
    assert.deepEqual(login.error!.issues.map((issue) => issue.path.join('.')).sort(), ['device', 'username']);
    assert.equal(sendMessageRequestSchema.safeParse({ to: 'Borin', text: 'hi\u0000' }).success, false);
    assert.equal(updateGuildRequestSchema.safeParse({ motd: '\u0000' }).success, false);
  });

  for (const file of DOCUMENTS) {
    it(`leaves no string input of ${file} able to carry NUL or an unpaired surrogate`, () => {
      const document = JSON.parse(readFileSync(resolve(root, file), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
      const unsafe: string[] = [];
      let checked = 0;
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const parameter of operation.parameters ?? []) {
            checked += 1;
            unsafe.push(...unsafeStringFields(parameter.schema, `${method} ${path} ${parameter.in}:${parameter.name}`));
          }
          for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) {
            checked += 1;
            unsafe.push(...unsafeStringFields(content.schema, `${method} ${path} body(${type})`));
          }
        }
      }
      assert.ok(checked > 0, 'the document lists inputs');
      assert.deepEqual(unsafe, []);
    });
  }

  it('leaves no string field of a client room message able to carry NUL or an unpaired surrogate', () => {
    const unsafe = Object.entries(clientMessageSchemas).flatMap(([name, schema]) =>
      unsafeStringFields(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, name),
    );
    assert.deepEqual(unsafe, []);
  });
});
