import { defineRoute, type ApiRoute } from '@mmo/platform';
import {
  characterIdParamsSchema,
  characterListSchema,
  characterSchema,
  characterVisibilitySchema,
  createCharacterRequestSchema,
  ErrorCode,
  updateCharacterRequestSchema,
} from '@mmo/shared';
import { createCharacter, deleteCharacter, listCharacters, setHidden, type CharacterDeps } from './character.service.js';

const tag = 'characters';

/** `/characters`: the token's own characters only. */
export function characterRoutes(deps: CharacterDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/characters', tag, access: 'player', summary: 'Your characters', response: characterListSchema,
      handle: async ({ auth }) => ({ characters: await listCharacters(deps, auth.accountId) }),
    }),
    defineRoute({
      method: 'post', path: '/characters', tag, access: 'player', status: 201, summary: 'Create a character at the starting position',
      body: createCharacterRequestSchema, response: characterSchema,
      errors: [ErrorCode.CHARACTER_NAME_TAKEN, ErrorCode.CHARACTER_LIMIT_REACHED],
      handle: ({ auth, body }) => createCharacter(deps, auth.accountId, body),
    }),
    defineRoute({
      method: 'patch', path: '/characters/:id', tag, access: 'player', summary: 'Hide one of your characters from public pages, or show it again',
      params: characterIdParamsSchema, body: updateCharacterRequestSchema, response: characterVisibilitySchema, errors: [ErrorCode.CHARACTER_NOT_FOUND],
      handle: ({ auth, params, body }) => setHidden(deps, auth.accountId, params.id, body.hidden),
    }),
    defineRoute({
      method: 'delete', path: '/characters/:id', tag, access: 'player', summary: 'Delete one of your characters',
      params: characterIdParamsSchema, errors: [ErrorCode.CHARACTER_NOT_FOUND],
      handle: ({ auth, params }) => deleteCharacter(deps, auth.accountId, params.id),
    }),
  ];
}
