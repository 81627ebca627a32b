import assert from 'node:assert/strict';
import { Protocol } from '@colyseus/core';
import { ClientMessage } from '@mmo/shared';
import { pack } from 'msgpackr';
import { z } from 'zod';
import { readFrame, MessageFault, summarizeIssues } from '../src/game/rooms/message-boundary.js';

/** A ROOM_DATA frame as the SDK encodes it: the name as a schema string, the payload in msgpack. */
function dataFrame(type: string, payload?: unknown): Buffer {
  const name = Buffer.from(type);
  const length = name.length;
  const prefix = length < 32 ? [0xa0 | length] : length < 256 ? [0xd9, length] : [0xda, length & 0xff, length >> 8];
  return Buffer.concat([Buffer.from([Protocol.ROOM_DATA, ...prefix]), name, payload === undefined ? Buffer.alloc(0) : pack(payload)]);
}

describe('message boundary', () => {
  it('decodes every message of the shared table, and passes pings, leaves and one join acknowledgement', () => {
    for (const name of Object.values(ClientMessage)) {
      assert.deepEqual(readFrame(dataFrame(name, { dx: 1 }), true, true), { kind: 'message', type: name, payload: { dx: 1 } });
    }
    assert.deepEqual(readFrame(dataFrame(ClientMessage.usePortal), true, true), { kind: 'message', type: ClientMessage.usePortal, payload: undefined });
    assert.deepEqual(readFrame(Buffer.from([Protocol.PING]), true, true), { kind: 'pass' });
    assert.deepEqual(readFrame(Buffer.from([Protocol.LEAVE_ROOM]), true, true), { kind: 'pass' });
    assert.deepEqual(readFrame(Buffer.from([Protocol.JOIN_ROOM]), true, false), { kind: 'joinAck' });
  });

  it('reads a name under any string header the schema decoder reads', () => {
    const name = Buffer.from(ClientMessage.move);
    const payload = pack({ dx: 1, dy: 0 });
    const headers = [[0xa0 | name.length], [0xd9, name.length], [0xda, name.length, 0], [0xdb, name.length, 0, 0, 0]];
    for (const header of headers) {
      const frame = Buffer.concat([Buffer.from([Protocol.ROOM_DATA, ...header]), name, payload]);
      assert.deepEqual(readFrame(frame, true, true), { kind: 'message', type: ClientMessage.move, payload: { dx: 1, dy: 0 } }, `header ${header[0]}`);
    }
  });

  it('refuses a name that is a known one cut short, or one with a byte more', () => {
    for (const name of Object.values(ClientMessage)) {
      assert.deepEqual(readFrame(dataFrame(name.slice(0, -1)), true, true), { kind: 'refuse', fault: MessageFault.unknownType }, name);
      assert.deepEqual(readFrame(dataFrame(`${name}x`), true, true), { kind: 'refuse', fault: MessageFault.unknownType }, name);
    }
  });

  it('refuses unknown names of every length from 1 to 300 bytes', () => {
    for (let length = 1; length <= 300; length += 1) {
      const verdict = readFrame(dataFrame('q'.repeat(length), {}), true, true);
      assert.deepEqual(verdict, { kind: 'refuse', fault: MessageFault.unknownType }, `length ${length}`);
    }
  });

  it('refuses frames outside the protocol a client of this room speaks', () => {
    const cases: [string, Buffer, boolean, boolean, MessageFault][] = [
      ['text', Buffer.from('move'), false, true, MessageFault.textFrame],
      ['empty', Buffer.alloc(0), true, true, MessageFault.emptyFrame],
      ['second join', Buffer.from([Protocol.JOIN_ROOM]), true, true, MessageFault.repeatedJoin],
      ['request', Buffer.from([Protocol.ROOM_REQUEST, 1, 0xa4, ...Buffer.from('move')]), true, true, MessageFault.request],
      ['bytes', Buffer.from([Protocol.ROOM_DATA_BYTES, 0xa4, ...Buffer.from('move')]), true, true, MessageFault.unknownProtocol],
      ['input', Buffer.from([Protocol.ROOM_INPUT_RELIABLE, 1]), true, true, MessageFault.unknownProtocol],
      ['code 255', Buffer.from([255]), true, true, MessageFault.unknownProtocol],
      ['numeric type', Buffer.from([Protocol.ROOM_DATA, 7]), true, true, MessageFault.unknownType],
      ['no type', Buffer.from([Protocol.ROOM_DATA]), true, true, MessageFault.unknownType],
      ['str 8 header alone', Buffer.from([Protocol.ROOM_DATA, 0xd9]), true, true, MessageFault.unknownType],
      // Colyseus's decoder clamps a declared length to the bytes present: a cut name is another name.
      ['truncated type', Buffer.from([Protocol.ROOM_DATA, 0xd9, 200, 97]), true, true, MessageFault.unknownType],
      ['truncated msgpack', Buffer.concat([dataFrame(ClientMessage.move), Buffer.from([0xde, 0xff, 0xff])]), true, true, MessageFault.undecodable],
    ];
    for (const [name, frame, isBinary, joined, fault] of cases) {
      const verdict = readFrame(frame, isBinary, joined);
      assert.equal(verdict.kind === 'refuse' && verdict.fault, fault, name);
      if (name === 'truncated msgpack') assert.equal(verdict.kind === 'refuse' && verdict.messageType, ClientMessage.move);
    }
  });

  it('summarizes a schema failure in at most three issues with short paths and no values', () => {
    const result = z.object({ a: z.number(), b: z.number(), c: z.number(), d: z.number() }).safeParse({ a: 'x'.repeat(5000) });
    assert.equal(result.success, false);
    const summary = summarizeIssues(result.error!);
    assert.equal(summary.length, 3);
    assert.ok(JSON.stringify(summary).length < 200);
    assert.ok(!JSON.stringify(summary).includes('xxx'));
  });
});
