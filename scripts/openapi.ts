// Writes the OpenAPI documents generated from the services' route tables, so that they can be
// read and reviewed as files. The tests fail while a checked-in document is out of date.
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playerOpenApiDocument } from '@mmo/player-api';
import { primaryOpenApiDocument } from '@mmo/server/primary';
import { socialOpenApiDocument } from '@mmo/social-api';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each document and where it is kept. */
export const openApiDocuments: ReadonlyArray<{ file: string; build(): Record<string, unknown> }> = [
  { file: 'server/openapi.json', build: primaryOpenApiDocument },
  { file: 'player-api/openapi.json', build: playerOpenApiDocument },
  { file: 'social-api/openapi.json', build: socialOpenApiDocument },
];

/** The exact text a document file holds. */
export function renderDocument(document: Record<string, unknown>): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const { file, build } of openApiDocuments) {
    await writeFile(join(root, file), renderDocument(build()));
    process.stdout.write(`wrote ${file}\n`);
  }
}
