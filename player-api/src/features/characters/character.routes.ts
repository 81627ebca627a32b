import { authOf, parseInput, requireAuth, type AccessTokenVerifier } from '@mmo/platform';
import { characterIdParamsSchema, createCharacterRequestSchema, type CharacterList } from '@mmo/shared';
import { Router } from 'express';
import {
  createCharacter,
  deleteCharacter,
  getCharacter,
  listCharacters,
  type CharacterDeps,
} from './character.service.js';

export interface CharacterRoutesDeps extends CharacterDeps {
  verifier: AccessTokenVerifier;
}

/** `/characters`: the token's own characters only. */
export function createCharacterRouter(deps: CharacterRoutesDeps): Router {
  const router = Router();
  router.use(requireAuth(deps.verifier));

  router.get('/', async (_req, res) => {
    const body: CharacterList = { characters: await listCharacters(deps, authOf(res).accountId) };
    res.json(body);
  });

  router.post('/', async (req, res) => {
    const body = parseInput(createCharacterRequestSchema, req.body);
    res.status(201).json(await createCharacter(deps, authOf(res).accountId, body));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(characterIdParamsSchema, req.params);
    res.json(await getCharacter(deps, authOf(res).accountId, id));
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parseInput(characterIdParamsSchema, req.params);
    await deleteCharacter(deps, authOf(res).accountId, id);
    res.status(204).end();
  });

  return router;
}
