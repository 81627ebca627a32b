import * as Phaser from 'phaser';
import { COMBAT_RULES, isWalkable, loadWorld, portalAt, type Area, type AreaId, type CombatEventView, type MoveMessage } from '@mmo/shared';
import type { GameRoom } from '../net/game.connection.js';
import { ENTITY_KINDS, type EntityAction, type EntityLook } from './entity-kinds.js';
import { generateTextures, TILE, TILE_TEXTURES } from './textures.js';

/** What the scene asks of the page: it draws and reads input; the page owns the network. */
export interface WorldBridge {
  sendMove(message: MoveMessage): void;
  selectPlayer(name: string): void;
  /** The own character stands on a portal: show the loading state until the next area joins. */
  steppedOnPortal(to: AreaId): void;
  /** Hit a monster (`attack`) or take a drop (`pickup`), by its id in the state. */
  act(action: EntityAction, id: string): void;
  /** How far the own character's class reaches, in tiles. */
  reach(): number;
}

interface Sprite {
  container: Phaser.GameObjects.Container;
  body: Phaser.GameObjects.Image;
  label: Phaser.GameObjects.Text;
  bar: Phaser.GameObjects.Graphics;
  /** Where it is drawn, in tiles (fractional while gliding). */
  at: { x: number; y: number };
  lastLabel: string;
  lastHp: string;
  look: EntityLook;
}

/** An entity as `window.__game` reports it, with where it is drawn on the page. */
export interface DebugEntity {
  id: string;
  name: string;
  x: number;
  y: number;
  hp?: number;
  screenX: number;
  screenY: number;
}

/** Beyond this many tiles from the server's position a sprite jumps instead of gliding. */
const SNAP_DISTANCE = 3;
/** Remote sprites glide a little faster than their walking speed, so they never fall behind. */
const CATCH_UP = 1.15;

const DIRECTION_KEYS: Record<string, [number, number]> = {
  ArrowUp: [0, -1], KeyW: [0, -1],
  ArrowDown: [0, 1], KeyS: [0, 1],
  ArrowLeft: [-1, 0], KeyA: [-1, 0],
  ArrowRight: [1, 0], KeyD: [1, 0],
};

/**
 * The world: the area's tiles from the shared world data, every entity in view with a name
 * plate and HP bar, the camera on the own character. Remote entities glide between the tiles
 * the server sends at 20 Hz; the own character moves at once on arrow keys and WASD and is
 * pulled back to the server's position when they disagree.
 */
export class WorldScene extends Phaser.Scene {
  private room: GameRoom | undefined;
  private area: Area | undefined;
  private bridge!: WorldBridge;
  private tileLayer: Phaser.GameObjects.Container | undefined;
  private readonly sprites = new Map<string, Sprite>();
  private marker!: Phaser.GameObjects.Image;
  private selfRing!: Phaser.GameObjects.Image;
  private readonly held = new Set<string>();
  private direction = { dx: 0, dy: 0 };
  /** The own character's predicted tile while walking by keys. */
  private predicted: { x: number; y: number } | undefined;
  private portalShownFor: string | undefined;
  private ready = false;
  private pending: { room: GameRoom; area: AreaId } | undefined;

  constructor() {
    super('world');
  }

  init(data: { bridge: WorldBridge }): void {
    this.bridge = data.bridge;
  }

  create(): void {
    generateTextures(this);
    this.marker = this.add.image(0, 0, 'marker').setVisible(false).setDepth(5);
    this.selfRing = this.add.image(0, 0, 'self-ring').setVisible(false).setDepth(9);
    this.input.on('pointerdown', (pointer: Phaser.Input.Pointer) => this.clicked(pointer));
    this.scale.on(Phaser.Scale.Events.RESIZE, this.fitCamera);
    window.addEventListener('keydown', this.keyDown);
    window.addEventListener('keyup', this.keyUp);
    window.addEventListener('blur', this.releaseKeys);
    this.events.once(Phaser.Scenes.Events.DESTROY, () => {
      window.removeEventListener('keydown', this.keyDown);
      window.removeEventListener('keyup', this.keyUp);
      window.removeEventListener('blur', this.releaseKeys);
    });
    this.ready = true;
    if (this.pending) this.show(this.pending.room, this.pending.area);
  }

  /** Draws a newly joined room's area and starts following its entities. */
  show(room: GameRoom, areaId: AreaId): void {
    if (!this.ready) {
      this.pending = { room, area: areaId };
      return;
    }
    this.room = room;
    // A new room knows no walking intent: keys held across a portal must be pressed again.
    this.held.clear();
    this.direction = { dx: 0, dy: 0 };
    this.predicted = undefined;
    this.portalShownFor = undefined;
    this.marker.setVisible(false);
    for (const sprite of this.sprites.values()) sprite.container.destroy();
    this.sprites.clear();
    const area = loadWorld().get(areaId);
    if (!area || this.area?.id === area.id) {
      this.area = area;
      return;
    }
    this.area = area;
    // The old area's portal spin tweens go with its images.
    this.tweens.killAll();
    this.tileLayer?.destroy();
    const layer = this.add.container(0, 0).setDepth(0);
    area.tiles.forEach((row, y) => {
      [...row].forEach((tile, x) => {
        layer.add(this.add.image(x * TILE, y * TILE, TILE_TEXTURES[tile] ?? 'tile-floor').setOrigin(0));
      });
    });
    for (const portal of area.portals) {
      const image = this.add.image((portal.x + 0.5) * TILE, (portal.y + 0.5) * TILE, 'portal');
      layer.add(image);
      this.tweens.add({ targets: image, angle: 360, duration: 3000, repeat: -1 });
    }
    this.tileLayer = layer;
    this.cameras.main.setBackgroundColor('#1d1f27');
    this.fitCamera();
  }

  /**
   * Keeps the camera inside the area, and centres an area smaller than the view (the town at
   * 1280×720) instead of pinning it to the top left corner.
   */
  private readonly fitCamera = (): void => {
    if (!this.area) return;
    const camera = this.cameras.main;
    const width = this.area.width * TILE;
    const height = this.area.height * TILE;
    const x = Math.min(0, (width - camera.width) / 2);
    const y = Math.min(0, (height - camera.height) / 2);
    camera.setBounds(x, y, Math.max(width, camera.width), Math.max(height, camera.height));
  };

  /** Stops drawing a room (left the world). */
  clear(): void {
    this.pending = undefined;
    this.room = undefined;
    if (!this.ready) return;
    for (const sprite of this.sprites.values()) sprite.container.destroy();
    this.sprites.clear();
    this.selfRing.setVisible(false);
    this.marker.setVisible(false);
    this.releaseKeys();
  }

  override update(_time: number, deltaMs: number): void {
    const room = this.room;
    if (!room?.state) return;
    const dt = Math.min(deltaMs, 100) / 1000;
    const seen = new Set<string>();
    for (const kind of ENTITY_KINDS) {
      kind.entities(room.state)?.forEach((entity, key) => {
        const id = `${kind.collection}:${key}`;
        seen.add(id);
        const look = kind.look(entity);
        const isSelf = kind.collection === 'players' && key === room.sessionId;
        const sprite = this.sprites.get(id) ?? this.spawn(id, look, isSelf, kind.action);
        sprite.look = look;
        this.place(sprite, look, dt, isSelf);
        this.decorate(sprite, look);
      });
    }
    for (const [id, sprite] of this.sprites) {
      if (seen.has(id)) continue;
      sprite.container.destroy();
      this.sprites.delete(id);
    }
  }

  /** The own character's tile as the server has it, and what a test or the page may read. */
  debugInfo(): {
    area: string | undefined;
    self: { x: number; y: number } | undefined;
    players: DebugEntity[];
    monsters: DebugEntity[];
    drops: DebugEntity[];
  } {
    const camera = this.cameras.main;
    const canvas = this.game.canvas.getBoundingClientRect();
    const scale = canvas.width / this.scale.width;
    const lists: Record<string, DebugEntity[]> = { players: [], monsters: [], drops: [] };
    let self: { x: number; y: number } | undefined;
    for (const [id, sprite] of this.sprites) {
      const separator = id.indexOf(':');
      const collection = id.slice(0, separator);
      const px = sprite.container.x - camera.worldView.x;
      const py = sprite.container.y - camera.worldView.y;
      lists[collection]?.push({
        id: id.slice(separator + 1),
        name: sprite.look.selectable ?? sprite.look.label,
        x: sprite.look.x,
        y: sprite.look.y,
        ...(sprite.look.hp ? { hp: sprite.look.hp.now } : {}),
        screenX: canvas.left + px * camera.zoom * scale,
        screenY: canvas.top + py * camera.zoom * scale,
      });
      if (id === `players:${this.room?.sessionId}`) self = { x: sprite.look.x, y: sprite.look.y };
    }
    return { area: this.area?.id, self, players: lists.players!, monsters: lists.monsters!, drops: lists.drops! };
  }

  private spawn(id: string, look: EntityLook, isSelf: boolean, action?: EntityAction): Sprite {
    const body = this.add.image(0, 0, look.texture);
    const bar = this.add.graphics();
    const label = this.add
      .text(0, -TILE / 2 - 14, look.label, { fontFamily: 'system-ui, sans-serif', fontSize: '12px', color: isSelf ? '#ffe066' : '#ffffff', stroke: '#000000', strokeThickness: 3 })
      .setOrigin(0.5, 1);
    const container = this.add.container((look.x + 0.5) * TILE, (look.y + 0.5) * TILE, [body, bar, label]).setDepth(isSelf ? 11 : 10);
    if (look.selectable && !isSelf) {
      body.setInteractive({ useHandCursor: true });
      body.on('pointerdown', (_pointer: Phaser.Input.Pointer, _x: number, _y: number, event: Phaser.Types.Input.EventData) => {
        event.stopPropagation();
        this.bridge.selectPlayer(look.selectable ?? '');
      });
    }
    if (action) {
      const key = id.slice(id.indexOf(':') + 1);
      body.setInteractive({ useHandCursor: true });
      body.on('pointerdown', (_pointer: Phaser.Input.Pointer, _x: number, _y: number, event: Phaser.Types.Input.EventData) => {
        event.stopPropagation();
        this.approachAndAct(action, key, { x: sprite.look.x, y: sprite.look.y });
      });
    }
    const sprite: Sprite = { container, body, label, bar, at: { x: look.x, y: look.y }, lastLabel: '', lastHp: '', look };
    this.sprites.set(id, sprite);
    if (isSelf) this.cameras.main.startFollow(container, true, 0.2, 0.2);
    return sprite;
  }

  private place(sprite: Sprite, look: EntityLook, dt: number, isSelf: boolean): void {
    let target = { x: look.x, y: look.y };
    let speed = look.speed * CATCH_UP;
    if (isSelf) {
      target = this.predictSelf(sprite, look, dt);
      speed = look.speed * 1.05;
      this.selfRing.setVisible(true).setPosition(sprite.container.x, sprite.container.y + TILE / 2 - 6);
      if (this.marker.visible && Math.abs(look.x - this.markerTile.x) + Math.abs(look.y - this.markerTile.y) === 0) this.marker.setVisible(false);
      this.checkPortal(look);
    }
    const dx = target.x - sprite.at.x;
    const dy = target.y - sprite.at.y;
    const distance = Math.hypot(dx, dy);
    if (distance > SNAP_DISTANCE) {
      sprite.at = { ...target };
    } else if (distance > 0) {
      const step = Math.min(distance, speed * dt);
      sprite.at = { x: sprite.at.x + (dx / distance) * step, y: sprite.at.y + (dy / distance) * step };
    }
    sprite.container.setPosition((sprite.at.x + 0.5) * TILE, (sprite.at.y + 0.5) * TILE);
  }

  /**
   * Where the own sprite heads: while a direction key is held, the next walkable tile that
   * way, decided here at once; otherwise the server's tile. A prediction more than one tile
   * away from the server (a wall the client did not know of, a refused move) gives way to it.
   */
  private predictSelf(sprite: Sprite, look: EntityLook, _dt: number): { x: number; y: number } {
    const { dx, dy } = this.direction;
    const server = { x: look.x, y: look.y };
    if ((dx === 0 && dy === 0) || !this.area) {
      this.predicted = undefined;
      return server;
    }
    this.predicted ??= server;
    const close = Math.hypot(this.predicted.x - sprite.at.x, this.predicted.y - sprite.at.y) < 0.05;
    if (close) {
      const next = { x: this.predicted.x + dx, y: this.predicted.y + dy };
      if (isWalkable(this.area, next.x, next.y)) this.predicted = next;
    }
    if (Math.abs(this.predicted.x - server.x) > 1 || Math.abs(this.predicted.y - server.y) > 1) this.predicted = server;
    return this.predicted;
  }

  private checkPortal(look: EntityLook): void {
    if (!this.area) return;
    const portal = portalAt(this.area, look.x, look.y);
    const key = portal ? `${portal.x},${portal.y}` : undefined;
    if (portal && key !== this.portalShownFor) this.bridge.steppedOnPortal(portal.to.area);
    this.portalShownFor = key;
  }

  private decorate(sprite: Sprite, look: EntityLook): void {
    if (sprite.lastLabel !== look.label) {
      sprite.label.setText(look.label);
      sprite.lastLabel = look.label;
    }
    if (sprite.body.texture.key !== look.texture) sprite.body.setTexture(look.texture);
    const hpKey = look.hp ? `${look.hp.now}/${look.hp.max}` : '';
    if (sprite.lastHp === hpKey) return;
    sprite.lastHp = hpKey;
    sprite.bar.clear();
    if (!look.hp) return;
    const width = TILE - 4;
    const fraction = Math.max(0, Math.min(1, look.hp.now / look.hp.max));
    const top = -TILE / 2 - 8;
    sprite.bar.fillStyle(0x000000, 0.7).fillRect(-width / 2 - 1, top - 1, width + 2, 6);
    sprite.bar.fillStyle(fraction > 0.5 ? 0x4caf50 : fraction > 0.25 ? 0xffb300 : 0xe53935).fillRect(-width / 2, top, width * fraction, 4);
  }

  private markerTile = { x: -1, y: -1 };

  /** Floating damage and heal numbers over whoever they happened to, from `combat` messages. */
  showCombat(events: readonly CombatEventView[]): void {
    if (!this.ready) return;
    for (const event of events) {
      if (event.type === 'hit') this.floatText(event.targetKind === 'monster' ? `monsters:${event.targetId}` : `players:${event.targetId}`, `-${event.damage}`, event.targetKind === 'monster' ? '#ffffff' : '#ff6b6b');
      else if (event.type === 'heal' && event.amount > 0) this.floatText(`players:${event.playerId}`, `+${event.amount}`, '#7CFC9A');
      else if (event.type === 'levelUp') this.floatText(`players:${event.playerId}`, `Level ${event.level}!`, '#ffe066');
    }
  }

  private floatText(spriteId: string, text: string, color: string): void {
    const sprite = this.sprites.get(spriteId);
    if (!sprite) return;
    const label = this.add
      .text(sprite.container.x, sprite.container.y - TILE / 2, text, { fontFamily: 'system-ui, sans-serif', fontSize: '14px', fontStyle: 'bold', color, stroke: '#000000', strokeThickness: 3 })
      .setOrigin(0.5, 1)
      .setDepth(20);
    this.tweens.add({ targets: label, y: label.y - 24, alpha: 0, duration: 900, onComplete: () => label.destroy() });
  }

  /** Acts on the nearest monster or drop in view (the hotkeys). */
  private actOnNearest(action: EntityAction): void {
    const self = this.selfTile();
    if (!self) return;
    const collection = action === 'attack' ? 'monsters:' : 'drops:';
    let best: { key: string; at: { x: number; y: number }; distance: number } | undefined;
    for (const [id, sprite] of this.sprites) {
      if (!id.startsWith(collection)) continue;
      const distance = tileDistance(self, sprite.look);
      if (!best || distance < best.distance) best = { key: id.slice(collection.length), at: { x: sprite.look.x, y: sprite.look.y }, distance };
    }
    if (best) this.approachAndAct(action, best.key, best.at);
  }

  /** Within reach: act. Otherwise walk there first (the next click or key press acts). */
  private approachAndAct(action: EntityAction, key: string, at: { x: number; y: number }): void {
    const self = this.selfTile();
    if (!self) return;
    const reach = action === 'attack' ? this.bridge.reach() : COMBAT_RULES.pickupRange;
    if (tileDistance(self, at) <= reach) {
      this.bridge.act(action, key);
      return;
    }
    this.direction = { dx: 0, dy: 0 };
    this.held.clear();
    this.markerTile = at;
    this.marker.setPosition((at.x + 0.5) * TILE, (at.y + 0.5) * TILE).setVisible(true);
    this.bridge.sendMove({ to: at });
  }

  private selfTile(): { x: number; y: number } | undefined {
    const sprite = this.sprites.get(`players:${this.room?.sessionId}`);
    return sprite ? { x: sprite.look.x, y: sprite.look.y } : undefined;
  }

  private clicked(pointer: Phaser.Input.Pointer): void {
    if (!this.area || !this.room) return;
    const x = Math.floor(pointer.worldX / TILE);
    const y = Math.floor(pointer.worldY / TILE);
    if (!isWalkable(this.area, x, y)) return;
    this.direction = { dx: 0, dy: 0 };
    this.held.clear();
    this.markerTile = { x, y };
    this.marker.setPosition((x + 0.5) * TILE, (y + 0.5) * TILE).setVisible(true);
    this.bridge.sendMove({ to: { x, y } });
  }

  private readonly keyDown = (event: KeyboardEvent): void => {
    if (isTyping(event) || !this.room) return;
    if (ACTION_KEYS[event.code]) {
      event.preventDefault();
      if (!event.repeat) this.actOnNearest(ACTION_KEYS[event.code]!);
      return;
    }
    if (!DIRECTION_KEYS[event.code]) return;
    event.preventDefault();
    if (this.held.has(event.code)) return;
    this.held.add(event.code);
    this.steer();
  };

  private readonly keyUp = (event: KeyboardEvent): void => {
    if (!this.held.delete(event.code)) return;
    this.steer();
  };

  private readonly releaseKeys = (): void => {
    if (this.held.size === 0) return;
    this.held.clear();
    this.steer();
  };

  /** Sends the direction the held keys make, when it changed. */
  private steer(): void {
    let dx = 0;
    let dy = 0;
    for (const code of this.held) {
      const [x, y] = DIRECTION_KEYS[code] ?? [0, 0];
      dx += x;
      dy += y;
    }
    const next = { dx: Math.sign(dx) as -1 | 0 | 1, dy: Math.sign(dy) as -1 | 0 | 1 };
    if (next.dx === this.direction.dx && next.dy === this.direction.dy) return;
    this.direction = next;
    this.marker.setVisible(false);
    this.bridge.sendMove(next);
  }
}

function tileDistance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y));
}

/** Space or 1: hit the nearest monster; E: take the nearest drop. */
const ACTION_KEYS: Record<string, EntityAction> = { Space: 'attack', Digit1: 'attack', KeyE: 'pickup' };

/** Keys typed into a form field belong to it, not to walking. */
function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

