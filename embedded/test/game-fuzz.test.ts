import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { callJson, seededRandom } from '@mmo/platform/testing';
import { ClientMessage, clientMessageSchemas, GameCloseCode, MAX_MESSAGES_PER_SECOND, ServerMessage, type ChatBroadcast } from '@mmo/shared';
import { pack } from 'msgpackr';
import { pino } from 'pino';
import { createPlayer, joinWorld, seen, sleep, startGame, waitFor, type GameFixture, type TestPlayer } from './game.fixture.js';

/** Every JSON line the game writes, kept to be measured. */
interface LogCapture {
  lines: { level: number; msg: string; bytes: number }[];
  bytes(): number;
}

function captureLogger() {
  const capture: LogCapture = {
    lines: [],
    bytes: () => capture.lines.reduce((sum, line) => sum + line.bytes, 0),
  };
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        const parsed = JSON.parse(line) as { level: number; msg: string };
        capture.lines.push({ level: parsed.level, msg: parsed.msg, bytes: Buffer.byteLength(line) });
      },
    },
  );
  return { logger, capture };
}

/** One hostile thing a client does on a fresh connection, and the close it must earn. */
interface HostileCase {
  name: string;
  act(room: Room): void;
  /** 1009 is `ws`'s answer to a frame over the transport's 4 KB limit, before any room code runs. */
  expectedClose: number;
}

const MESSAGE_NAMES = Object.values(ClientMessage);

/**
 * A ROOM_DATA frame as the SDK encodes one (the type as a Colyseus schema string, the payload in
 * msgpack), built here because the SDK's fixed send buffer refuses long types and big payloads.
 */
function dataFrame(type: string, payload: unknown): Buffer {
  const name = Buffer.from(type);
  const length = name.length;
  const prefix = length < 32 ? [0xa0 | length] : length < 256 ? [0xd9, length] : [0xda, length & 0xff, length >> 8];
  return Buffer.concat([Buffer.from([13, ...prefix]), name, pack(payload)]);
}

function deep(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
}

/** Payloads for a known message: each must fail its schema, which the case checks first. */
function malformedPayloads(random: () => number): unknown[] {
  const text = (length: number) => Array.from({ length }, () => String.fromCharCode(32 + Math.floor(random() * 90))).join('');
  return [
    undefined,
    null,
    42,
    'move',
    true,
    [],
    [1, 2, 3],
    { dx: 'east', dy: 0 },
    { dx: 2, dy: 0 },
    { dx: 0.5, dy: -0.5 },
    { dx: 1 },
    { to: { x: 'a', y: 1 } },
    { to: null },
    { text: 7 },
    { text: 'hi', channel: 'everyone' },
    { text: text(3000) },
    { text: text(5000) },
    { text: 'a\u0000b', channel: 7 },
    { text: '\ud800', channel: 'nowhere' },
    { __proto__: { dx: 1 }, constructor: 1 },
    { dx: deep(200), dy: 0 },
    deep(64),
    { [text(200)]: text(200) },
  ];
}

function hostileCases(seed: number): HostileCase[] {
  const random = seededRandom(seed);
  const cases: HostileCase[] = [];
  // Unknown names of every length from 1 to 300 bytes (87+ used to end the process).
  for (let length = 1; length <= 300; length += 1) {
    let type = Array.from({ length }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
    if (MESSAGE_NAMES.includes(type as never)) type = `${type.slice(0, -1)}_`;
    const frame = dataFrame(type, { dx: 1 });
    cases.push({ name: `unknown type of ${length} bytes`, act: (room) => room.connection.send(frame), expectedClose: GameCloseCode.PROTOCOL_VIOLATION });
  }
  cases.push({ name: 'unknown type with NUL and a lone surrogate', act: (room) => room.send('mo\u0000ve\ud800', {}), expectedClose: GameCloseCode.PROTOCOL_VIOLATION });
  cases.push({ name: 'numeric message type', act: (room) => room.send(7, {}), expectedClose: GameCloseCode.PROTOCOL_VIOLATION });
  for (const name of MESSAGE_NAMES) {
    for (const payload of malformedPayloads(random)) {
      if (clientMessageSchemas[name].safeParse(payload).success) continue;
      const frame = dataFrame(name, payload);
      cases.push({
        name: `${name} with ${JSON.stringify(payload)?.slice(0, 40)}`,
        act: (room) => room.connection.send(frame),
        expectedClose: frame.length > 4096 ? 1009 : GameCloseCode.PROTOCOL_VIOLATION,
      });
    }
    cases.push({
      name: `${name} as a malformed request`,
      act: (room) => void room.request(name, { dx: 'x' }).catch(() => undefined),
      expectedClose: GameCloseCode.PROTOCOL_VIOLATION,
    });
  }
  // Frames written straight on the socket, below the SDK.
  const raw = (bytes: number[]) => (room: Room) => room.connection.send(Uint8Array.from(bytes));
  const socket = (room: Room) => (room.connection.transport as unknown as { ws: { send(data: unknown): void } }).ws;
  const garbage: [string, (room: Room) => void][] = [
    ['an empty frame', (room) => socket(room).send(new Uint8Array(0))],
    ['a text frame', (room) => socket(room).send('{"type":"move","dx":1}')],
    ['a second join acknowledgement', raw([10])],
    ['protocol code 0', raw([0])],
    ['protocol code 255', raw([255, 1, 2, 3])],
    ['a bytes message', raw([17, 0xa4, 109, 111, 118, 101, 1, 2])],
    ['an input frame', raw([19, 1, 2, 3])],
    ['a message with a truncated type', raw([13, 0xd9, 200, 97, 98])],
    ['a known message with truncated msgpack', raw([13, 0xa4, 109, 111, 118, 101, 0xde, 0xff, 0xff])],
    // A data frame with a random body (random bytes from the first on could be a legitimate ping).
    ['a data frame of random bytes', raw([13, ...Array.from({ length: 63 }, () => Math.floor(random() * 256))])],
  ];
  for (const [name, act] of garbage) cases.push({ name, act, expectedClose: GameCloseCode.PROTOCOL_VIOLATION });
  // Seeded shuffle, so that lengths, payloads and frames interleave.
  for (let i = cases.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [cases[i], cases[j]] = [cases[j]!, cases[i]!];
  }
  return cases;
}

/** Joins, does one hostile thing, and resolves with the close code the room answered with. */
async function offend(game: GameFixture, player: TestPlayer, hostile: HostileCase): Promise<number> {
  const room = await joinWorld(game, player);
  room.reconnection.enabled = false;
  // Area chat and errors reach offenders too; read and dropped.
  room.onMessage(ServerMessage.chat, () => undefined);
  room.onMessage(ServerMessage.error, () => undefined);
  const closed = new Promise<number>((resolve) => room.onLeave((code: number) => resolve(code)));
  try {
    hostile.act(room);
  } catch (error) {
    await room.leave().catch(() => undefined);
    throw new Error(`${hostile.name} could not be sent: ${String(error)}`);
  }
  const timeout = sleep(3000).then(() => -1);
  return Promise.race([closed, timeout]);
}

describe(`room fuzz (${process.env.GAME_TEST_STACK === 'real' ? 'real' : 'embedded'} stack)`, function () {
  this.timeout(120_000);
  const { logger, capture } = captureLogger();
  let game: GameFixture;
  // A metrics sink that can be made to fail, to throw inside the room's tick and patch timers.
  const sink = { failing: false, ticks: 0, patches: 0 };
  const metrics = {
    recordTick() {
      sink.ticks += 1;
      if (sink.failing) throw new Error('metrics sink down (tick)');
    },
    recordPatch() {
      sink.patches += 1;
      if (sink.failing) throw new Error('metrics sink down (patch)');
    },
  };

  before(async () => {
    game = await startGame({ logger, metrics });
  });
  after(async () => {
    await game.stop();
  });

  it('closes only the sender, with 4002, when a message type is 120 bytes long', async () => {
    const sender = await joinWorld(game, await createPlayer(game, { area: 'town', x: 2, y: 6 }));
    const bystanderPlayer = await createPlayer(game, { area: 'town', x: 3, y: 6 });
    const bystander = await joinWorld(game, bystanderPlayer);
    let closed: { code: number; reason: string | undefined } | undefined;
    sender.onLeave((code: number, reason?: string) => (closed = { code, reason }));
    sender.send('x'.repeat(120), {});
    await waitFor(() => closed !== undefined, 3000);
    assert.equal(closed!.code, GameCloseCode.PROTOCOL_VIOLATION);
    assert.ok(!closed!.reason?.includes('xxx'), `the reason quotes the input: ${closed!.reason}`);
    bystander.send(ClientMessage.move, { dx: 1, dy: 0 });
    await waitFor(() => seen(bystander).get(bystanderPlayer.name)!.x > 3, 3000);
    assert.equal((await callJson(game.base, '/health', {})).status, 200);
    await bystander.leave();
  });

  it(`closes a client that sends more than ${MAX_MESSAGES_PER_SECOND} messages in a second, once logged, and keeps one that sends fewer`, async () => {
    const logBefore = capture.lines.length;
    const flooder = await joinWorld(game, await createPlayer(game, { area: 'town', x: 2, y: 5 }));
    const steadyInfo = await createPlayer(game, { area: 'town', x: 3, y: 7 });
    const steady = await joinWorld(game, steadyInfo);
    let closed: { code: number; reason: string | undefined } | undefined;
    let steadyClosed: number | undefined;
    flooder.onLeave((code: number, reason?: string) => (closed = { code, reason }));
    steady.onLeave((code: number) => (steadyClosed = code));
    // The room clock moves with the ticks: a burst sent at once lands in one of its seconds, or
    // two; twice the limit and more overflows one of them either way.
    for (let i = 0; i < 2 * MAX_MESSAGES_PER_SECOND + 10; i += 1) flooder.send(ClientMessage.move, { dx: i % 2 === 0 ? 1 : -1, dy: 0 });
    for (let i = 0; i < MAX_MESSAGES_PER_SECOND - 10; i += 1) steady.send(ClientMessage.move, { dx: 0, dy: 1 });
    await waitFor(() => closed !== undefined, 3000);
    assert.deepEqual(closed, { code: GameCloseCode.PROTOCOL_VIOLATION, reason: 'too many messages' });
    await waitFor(() => seen(steady).get(steadyInfo.name)!.y > 7, 3000);
    assert.equal(steadyClosed, undefined);
    assert.ok(steady.connection.isOpen);
    const offences = capture.lines.slice(logBefore).filter((line) => line.msg === 'closed a client for what it sent');
    assert.equal(offences.length, 1, `${offences.length} lines for one flood`);
    await steady.leave();
  });

  it('survives seeded hostile traffic from two connections while a third plays undisturbed', async () => {
    const cases = hostileCases(0x5eed);
    const logBefore = capture.lines.length;
    const playerInfo = await createPlayer(game, { area: 'town', x: 3, y: 9 });
    const player = await joinWorld(game, playerInfo);
    let playerClosed: number | undefined;
    player.onLeave((code: number) => (playerClosed = code));
    const heard: string[] = [];
    player.onMessage(ServerMessage.chat, (line: ChatBroadcast) => heard.push(line.text));
    let patches = 0;
    player.onStateChange(() => (patches += 1));

    // The third player walks back and forth and chats the whole time.
    let playing = true;
    const xs = new Set<number>();
    const play = (async () => {
      for (let round = 0; playing; round += 1) {
        player.send(ClientMessage.move, { dx: round % 2 === 0 ? 1 : -1, dy: 0 });
        player.send(ClientMessage.chat, { text: `round ${round}` });
        await sleep(600);
        xs.add(seen(player).get(playerInfo.name)!.x);
      }
    })();

    const offenders = [await createPlayer(game, { area: 'town', x: 2, y: 5 }), await createPlayer(game, { area: 'town', x: 2, y: 7 })];
    const closes = new Map<number, number>();
    const wrong: string[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      offenders.map(async (offender) => {
        while (next < cases.length) {
          const hostile = cases[next++]!;
          const code = await offend(game, offender, hostile).catch((error: unknown) => {
            wrong.push(String(error));
            return -2;
          });
          closes.set(code, (closes.get(code) ?? 0) + 1);
          if (code !== hostile.expectedClose) wrong.push(`${hostile.name}: closed with ${code}, expected ${hostile.expectedClose}`);
        }
      }),
    );
    playing = false;
    await play;
    const elapsed = Date.now() - started;

    const logged = capture.lines.slice(logBefore);
    const logBytes = logged.reduce((sum, line) => sum + line.bytes, 0);
    const figures = {
      cases: cases.length,
      framesSent: cases.length,
      closesByCode: Object.fromEntries(closes),
      logLines: logged.length,
      logBytes,
      errorLines: logged.filter((line) => line.level >= 50).length,
      thirdPlayerPatches: patches,
      ms: elapsed,
    };
    console.log(`      room fuzz figures: ${JSON.stringify(figures)}`);

    assert.deepEqual(wrong, []);
    assert.equal(playerClosed, undefined, 'the third player was disconnected');
    assert.ok(player.connection.isOpen);
    assert.ok(xs.size >= 2, `the third player did not move: ${[...xs]}`);
    assert.ok(heard.length >= 2, `the third player heard ${heard.length} of its own chat lines`);
    assert.equal(figures.errorLines, 0, 'client input was logged as a server error');
    // One warn line per offending connection at most, each short: no payload, no stack.
    assert.ok(logged.every((line) => line.bytes < 600), 'a log line over 600 bytes');
    assert.ok(logBytes < cases.length * 600, `${logBytes} log bytes for ${cases.length} offences`);
    assert.equal((await callJson(game.base, '/health', {})).status, 200);
    await player.leave();
  });

  it('contains exceptions thrown in the tick and patch timers: logged once each, the room plays on', async () => {
    const walkerInfo = await createPlayer(game, { area: 'town', x: 2, y: 6 });
    const walker = await joinWorld(game, walkerInfo);
    const logBefore = capture.lines.length;
    const ticksBefore = sink.ticks;
    sink.failing = true;
    try {
      await waitFor(() => sink.ticks - ticksBefore >= 20, 5000);
    } finally {
      sink.failing = false;
    }
    walker.send(ClientMessage.move, { dx: 1, dy: 0 });
    await waitFor(() => seen(walker).get(walkerInfo.name)!.x > 2, 3000);
    const faults = capture.lines.slice(logBefore).filter((line) => line.msg === 'a room fault was contained');
    // One per kind of fault and room: the tick's and the patch's, not one per failing timer run.
    assert.ok(faults.length >= 2 && faults.length <= 2 * 4, `${faults.length} fault lines for ${sink.ticks - ticksBefore} failing ticks`);
    assert.ok(walker.connection.isOpen);
    assert.equal((await callJson(game.base, '/health', {})).status, 200);
    await walker.leave();
  });
});
