import assert from 'node:assert/strict';
import { createTestInfra, createTestPlayer, testStacks, waitUntil, type TestStack } from '@mmo/platform/testing';
import { characterListSchema, characterSchema, characterSheetSchema, STARTING_POSITION, xpForLevel } from '@mmo/shared';
import type { Express } from 'express';
import request from 'supertest';
import { playerSettingsSchema } from '../src/config.js';
import { createPlayerApp, createPlayerDeps } from '../src/player.app.js';

let counter = 0;
function uniqueCharacterName(): string {
  counter += 1;
  // Letters only: the pid and counter spelled with a-j.
  return `Hero${`${process.pid}${counter}`.replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)))}`.slice(0, 16);
}

for (const kind of testStacks()) {
  describe(`characters (${kind.name} stack)`, () => {
    let stack: TestStack;
    let infra: Awaited<ReturnType<typeof createTestInfra>>;
    let app: Express;

    before(async () => {
      stack = await kind.open();
      infra = await createTestInfra(stack);
      app = createPlayerApp(createPlayerDeps(infra, playerSettingsSchema.parse({ MAX_CHARACTERS_PER_ACCOUNT: '3' })), {
        trustProxy: 'loopback',
      });
    });
    after(async () => {
      await infra.stop();
      await stack.close();
    });

    it('creates a character at the starting position and lists it for its owner', async () => {
      const player = await createTestPlayer(infra);
      const name = uniqueCharacterName();
      const created = await request(app)
        .post('/characters')
        .auth(player.accessToken, { type: 'bearer' })
        .send({ name, class: 'mage' })
        .expect(201);
      const character = characterSchema.parse(created.body);
      assert.deepEqual(
        { name: character.name, class: character.class, level: character.level, area: character.area, x: character.x, y: character.y },
        { name, class: 'mage', level: 1, ...STARTING_POSITION },
      );
      const list = await request(app).get('/characters').auth(player.accessToken, { type: 'bearer' }).expect(200);
      assert.deepEqual(characterListSchema.parse(list.body).characters, [character]);
      const one = await request(app).get(`/characters/${character.id}`).auth(player.accessToken, { type: 'bearer' }).expect(200);
      // The character, and its sheet besides.
      assert.deepEqual(characterSchema.parse(one.body), character);
      assert.equal(characterSheetSchema.parse(one.body).xpToNextLevel, xpForLevel(1));
      // Experience earned within the level counts down what the next one still needs.
      await infra.prisma.character.update({ where: { id: character.id }, data: { level: 4, xp: 500n } });
      const later = characterSheetSchema.parse((await request(app).get(`/characters/${character.id}`).auth(player.accessToken, { type: 'bearer' }).expect(200)).body);
      assert.deepEqual([later.level, later.xp, later.xpToNextLevel], [4, 500, 800 - 500]);
    });

    it('answers 409 CHARACTER_NAME_TAKEN when the name exists in another letter case', async () => {
      const first = await createTestPlayer(infra);
      const second = await createTestPlayer(infra);
      const name = uniqueCharacterName();
      await request(app).post('/characters').auth(first.accessToken, { type: 'bearer' }).send({ name, class: 'warrior' }).expect(201);
      const res = await request(app)
        .post('/characters')
        .auth(second.accessToken, { type: 'bearer' })
        .send({ name: name.toLowerCase(), class: 'warrior' })
        .expect(409);
      assert.equal(res.body.code, 'CHARACTER_NAME_TAKEN');
    });

    it('answers 400 VALIDATION_FAILED naming the field for a bad name or an unknown class', async () => {
      const player = await createTestPlayer(infra);
      const badName = await request(app)
        .post('/characters')
        .auth(player.accessToken, { type: 'bearer' })
        .send({ name: 'Bad1Name', class: 'mage' })
        .expect(400);
      assert.deepEqual(badName.body.fields.map((f: { field: string }) => f.field), ['name']);
      const badClass = await request(app)
        .post('/characters')
        .auth(player.accessToken, { type: 'bearer' })
        .send({ name: uniqueCharacterName(), class: 'necromancer' })
        .expect(400);
      assert.deepEqual(badClass.body.fields.map((f: { field: string }) => f.field), ['class']);
    });

    it('answers 409 CHARACTER_LIMIT_REACHED past the limit, even for parallel requests', async () => {
      const player = await createTestPlayer(infra);
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          request(app).post('/characters').auth(player.accessToken, { type: 'bearer' }).send({ name: uniqueCharacterName(), class: 'ranger' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 201, 201, 409, 409, 409]);
      assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.code === 'CHARACTER_LIMIT_REACHED'));
      assert.equal(await stack.db.prisma.character.count({ where: { accountId: player.accountId } }), 3);
    });

    it('answers 404 CHARACTER_NOT_FOUND for another account character, on read and on delete', async () => {
      const owner = await createTestPlayer(infra);
      const other = await createTestPlayer(infra);
      const created = await request(app)
        .post('/characters')
        .auth(owner.accessToken, { type: 'bearer' })
        .send({ name: uniqueCharacterName(), class: 'cleric' })
        .expect(201);
      const read = await request(app).get(`/characters/${created.body.id}`).auth(other.accessToken, { type: 'bearer' }).expect(404);
      assert.equal(read.body.code, 'CHARACTER_NOT_FOUND');
      const del = await request(app).delete(`/characters/${created.body.id}`).auth(other.accessToken, { type: 'bearer' }).expect(404);
      assert.equal(del.body.code, 'CHARACTER_NOT_FOUND');
      const list = await request(app).get('/characters').auth(other.accessToken, { type: 'bearer' }).expect(200);
      assert.deepEqual(list.body.characters, []);
      await request(app).get(`/characters/${created.body.id}`).auth(owner.accessToken, { type: 'bearer' }).expect(200);
    });

    it('deletes an own character, which then answers 404, and announces the deletion on the bus', async () => {
      const owner = await createTestPlayer(infra);
      const created = await request(app)
        .post('/characters')
        .auth(owner.accessToken, { type: 'bearer' })
        .send({ name: uniqueCharacterName(), class: 'cleric' })
        .expect(201);
      const listener = await stack.createBus();
      const announced: string[] = [];
      const stop = await listener.subscribe('character.deleted', (event) => {
        announced.push(event.characterId);
      });
      await request(app).delete(`/characters/${created.body.id}`).auth(owner.accessToken, { type: 'bearer' }).expect(204);
      await request(app).get(`/characters/${created.body.id}`).auth(owner.accessToken, { type: 'bearer' }).expect(404);
      await waitUntil(() => announced.includes(String(created.body.id)), 2000);
      await stop();
    });

    it('answers 401 UNAUTHENTICATED without a token', async () => {
      const res = await request(app).get('/characters').expect(401);
      assert.equal(res.body.code, 'UNAUTHENTICATED');
    });

    it('answers 401 SESSION_REVOKED once the session revocation arrives on the bus', async () => {
      const player = await createTestPlayer(infra);
      const publisher = await stack.createBus();
      await publisher.publish('auth.session_revoked', {
        sessionId: player.sessionId,
        accountId: player.accountId,
        until: Date.now() + 60_000,
      });
      await waitUntil(async () => {
        const res = await request(app).get('/characters').auth(player.accessToken, { type: 'bearer' });
        return res.status === 401 && res.body.code === 'SESSION_REVOKED';
      }, 1000);
    });
  });
}
