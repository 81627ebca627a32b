// How a benchmark bot plays once in the world, whichever client holds its room: it walks like a
// player at the keyboard and mouse (a held arrow key re-sent every 250 ms as a key repeats,
// changing every 1-3 s, and now and then a click on a tile within 10 tiles), and a decoder also
// hunts (every 400 ms it shoots the nearest living monster within 6 tiles in its state).
import { ClientMessage, MOVE_SPEED, type ClientMessageName } from '@mmo/shared';
import { TickScheduler } from '../../server/src/game/tick-scheduler.js';
import { ARENA_SIZE } from './arena.js';

const speed = MOVE_SPEED.ranger;
const clampTile = (v: number) => Math.min(ARENA_SIZE - 3, Math.max(2, Math.round(v)));

export type StateShape = { players?: Map<string, { x: number; y: number }>; monsters?: Map<string, { x: number; y: number; hp: number }> };

/** What a walker needs of its room, whichever client holds it: an SDK room or a light one. */
export interface WalkerRoom {
  readonly sessionId: string;
  readonly isOpen: boolean;
  /** The decoded state: SDK rooms only. */
  readonly state?: StateShape | undefined;
  send(type: ClientMessageName, payload: unknown): void;
  leave(): Promise<unknown>;
}

/**
 * The bots' key repeats and shots, each bot at a phase of its own (TickScheduler). With one
 * `setInterval` per bot, a bots' process late by a few milliseconds runs every timer that came
 * due in one go, and they re-arm together: over a run the bots' phases merge until thousands of
 * them send in step, in bursts no crowd of separate players sends.
 */
const keyRepeats = new TickScheduler(250);
const shots = new TickScheduler(400);
let botFaults = 0;
const botFault = (error: unknown) => {
  botFaults += 1;
  if (botFaults <= 3) process.stderr.write(`a bot's timer failed: ${String(error)}\n`);
};

/** Walks like a player at the keyboard and mouse; decoders also hunt. */
export function walkAndHunt(bot: { readonly room: WalkerRoom; readonly decodes: boolean }, start: { x: number; y: number }): () => void {
  const { decodes } = bot;
  const state = () => bot.room.state;
  // Dead reckoning for those that do not decode follows where the intents should have taken
  // the bot from where it started.
  let x: number = start.x;
  let y: number = start.y;
  let dx = 0;
  let dy = 0;
  let since = performance.now();
  const reckon = () => {
    const self = decodes ? state()?.players?.get(bot.room.sessionId) : undefined;
    const now = performance.now();
    if (self) [x, y] = [self.x, self.y];
    else [x, y] = [clampTile(x + (dx * speed * (now - since)) / 1000), clampTile(y + (dy * speed * (now - since)) / 1000)];
    since = now;
  };
  let nextChange = 0;
  const timers = [
    keyRepeats.every(() => {
      if (!bot.room.isOpen) return;
      reckon();
      const now = performance.now();
      if (now >= nextChange) {
        nextChange = now + 1000 + Math.random() * 2000;
        if (Math.random() < 0.2) {
          // A click: the server walks the bot there; no key is held meanwhile.
          [dx, dy] = [0, 0];
          bot.room.send(ClientMessage.move, { to: { x: clampTile(x + Math.floor(Math.random() * 21) - 10), y: clampTile(y + Math.floor(Math.random() * 21) - 10) } });
          return;
        }
        do [dx, dy] = [Math.floor(Math.random() * 3) - 1, Math.floor(Math.random() * 3) - 1];
        while (dx === 0 && dy === 0);
      }
      if (dx !== 0 || dy !== 0) bot.room.send(ClientMessage.move, { dx, dy });
    }, botFault),
  ];
  if (decodes) {
    timers.push(
      shots.every(() => {
        const current = state();
        const self = current?.players?.get(bot.room.sessionId);
        if (!self || !current?.monsters || !bot.room.isOpen) return;
        let best: string | undefined;
        let bestDistance = 7;
        current.monsters.forEach((monster, id) => {
          const distance = Math.max(Math.abs(monster.x - self.x), Math.abs(monster.y - self.y));
          if (monster.hp > 0 && distance < bestDistance) [best, bestDistance] = [id, distance];
        });
        if (best) bot.room.send(ClientMessage.attack, { targetId: best });
      }, botFault),
    );
  }
  return () => timers.forEach((timer) => timer.stop());
}
