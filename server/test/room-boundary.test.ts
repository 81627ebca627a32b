import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ClientState, Protocol, type Client } from '@colyseus/core';
import { ClientMessage, ErrorCode, GameCloseCode, ServerMessage } from '@mmo/shared';
import { pack } from 'msgpackr';
import { pino } from 'pino';
import { RoomBoundary } from '../src/game/rooms/room-boundary.js';

/** A ROOM_DATA frame as the SDK encodes one. */
function dataFrame(type: string, payload?: unknown): Buffer {
  const name = Buffer.from(type);
  return Buffer.concat([Buffer.from([Protocol.ROOM_DATA, 0xa0 | name.length]), name, payload === undefined ? Buffer.alloc(0) : pack(payload)]);
}

/** A room with a clock the test moves, and Colyseus's reader recording what reaches it. */
function fixture(maxMessagesPerSecond = 5) {
  const kicks: { sessionId: string; code: number; reason: string }[] = [];
  const colyseusFrames: number[] = [];
  const room = {
    roomId: 'room-1',
    clock: { currentTime: 1_000 },
    maxMessagesPerSecond,
    kickClient(sessionId: string, code: number, reason: string) {
      kicks.push({ sessionId, code, reason });
      client.state = ClientState.LEAVING;
    },
    _onMessage(_client: Client, data: Buffer) {
      colyseusFrames.push(data[0]!);
    },
  };
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  const sent: { type: string; message: unknown }[] = [];
  const client = {
    sessionId: 's1',
    state: ClientState.JOINED as ClientState,
    ref: new EventEmitter(),
    send: (type: string, message: unknown) => void sent.push({ type, message }),
  } as unknown as Client & { state: ClientState };
  const boundary = new RoomBoundary(room, logger, () => 'character-1');
  boundary.interceptFrames();
  boundary.guard(client);
  const read = (frame: Buffer) => (room as unknown as { _onMessage(client: Client, data: Buffer, isBinary: boolean): void })._onMessage(client, frame, true);
  return { room, boundary, client, read, kicks, colyseusFrames, lines, sent };
}

describe('room boundary', () => {
  it('hands a message to its handler decoded and checked, and pings, leaves and the join acknowledgement to Colyseus', () => {
    const { boundary, client, read, colyseusFrames, kicks } = fixture(100);
    // As the heartbeat leaves it after a turn that spared the client a ping.
    (client.ref as { heard?: boolean }).heard = false;
    const moves: unknown[] = [];
    boundary.handle(ClientMessage.move, (_client, message) => moves.push(message));
    read(Buffer.from([Protocol.JOIN_ROOM]));
    read(dataFrame(ClientMessage.move, { dx: 1, dy: 0 }));
    read(Buffer.from([Protocol.PING]));
    assert.deepEqual(moves, [{ dx: 1, dy: 0 }]);
    assert.deepEqual(colyseusFrames, [Protocol.JOIN_ROOM, Protocol.PING]);
    assert.equal((client.ref as { heard?: boolean }).heard, true, 'the heartbeat spares a client it hears from');
    assert.deepEqual(kicks, []);
  });

  it('closes a client with 4002 for a message that fails its schema, and the handler never sees it', () => {
    const { boundary, read, kicks, lines } = fixture(100);
    let handled = 0;
    boundary.handle(ClientMessage.move, () => (handled += 1));
    read(dataFrame(ClientMessage.move, { dx: 'east' }));
    assert.equal(handled, 0);
    assert.deepEqual(kicks, [{ sessionId: 's1', code: GameCloseCode.PROTOCOL_VIOLATION, reason: 'malformed message' }]);
    assert.equal(lines.filter((line) => line.msg === 'closed a client for what it sent').length, 1);
  });

  it('closes a client that sends more frames in a second of the room clock than the room reads, and reads no more of them', () => {
    const { boundary, room, client, read, kicks, lines } = fixture(5);
    let handled = 0;
    boundary.handle(ClientMessage.move, () => (handled += 1));
    for (let i = 0; i < 5; i += 1) read(dataFrame(ClientMessage.move, { dx: 1, dy: 0 }));
    room.clock.currentTime += 1_000;
    for (let i = 0; i < 5; i += 1) read(dataFrame(ClientMessage.move, { dx: 1, dy: 0 }));
    assert.equal(handled, 10, 'five a second, two seconds running, are within the limit');
    assert.deepEqual(kicks, []);
    read(Buffer.from([Protocol.PING]));
    assert.equal(client.state, ClientState.LEAVING);
    for (let i = 0; i < 3; i += 1) read(dataFrame(ClientMessage.move, { dx: 1, dy: 0 }));
    assert.equal(handled, 10);
    assert.deepEqual(kicks, [{ sessionId: 's1', code: GameCloseCode.PROTOCOL_VIOLATION, reason: 'too many messages' }]);
    assert.equal(lines.filter((line) => line.msg === 'closed a client for what it sent').length, 1);
  });

  it('answers INTERNAL to a client whose handler threw, logs it once per connection, and reads on', () => {
    const { boundary, read, kicks, lines, sent } = fixture(100);
    let calls = 0;
    boundary.handle(ClientMessage.move, () => {
      calls += 1;
      throw new Error('handler bug');
    });
    read(dataFrame(ClientMessage.move, { dx: 1, dy: 0 }));
    read(dataFrame(ClientMessage.move, { dx: 1, dy: 0 }));
    assert.equal(calls, 2);
    assert.deepEqual(
      sent.map(({ type, message }) => [type, (message as { code: string }).code]),
      [
        [ServerMessage.error, ErrorCode.INTERNAL],
        [ServerMessage.error, ErrorCode.INTERNAL],
      ],
    );
    assert.equal(lines.filter((line) => line.level >= 50).length, 1);
    assert.deepEqual(kicks, []);
  });

  it('answers INTERNAL to a client whose async handler rejected, and logs it once', async () => {
    const { boundary, read, lines, sent } = fixture(100);
    boundary.handle(ClientMessage.move, async () => {
      await Promise.resolve();
      throw new Error('async handler bug');
    });
    read(dataFrame(ClientMessage.move, { dx: 1, dy: 0 }));
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(sent.map(({ message }) => (message as { code: string }).code), [ErrorCode.INTERNAL]);
    assert.equal(lines.filter((line) => line.level >= 50).length, 1);
  });

  it('closes a client for a message of the table no handler was registered for', () => {
    const { read, kicks } = fixture(100);
    read(dataFrame(ClientMessage.chat, { text: 'hi' }));
    assert.deepEqual(kicks, [{ sessionId: 's1', code: GameCloseCode.PROTOCOL_VIOLATION, reason: 'unknown message type' }]);
  });
});
