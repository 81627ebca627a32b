import type * as Phaser from 'phaser';
import { CharacterClass, loadMonsterKinds } from '@mmo/shared';

/** Pixels per tile: the world's coordinates are tiles, the scene's are pixels. */
export const TILE = 32;

/** Body colours by class, so a party reads at a glance who is who. */
export const CLASS_COLORS: Record<CharacterClass, number> = {
  warrior: 0xc0392b,
  mage: 0x2e86de,
  ranger: 0x27ae60,
  cleric: 0xf1c40f,
};

/** Texture keys of the map's tiles by their character in the world data. */
export const TILE_TEXTURES: Record<string, string> = {
  '#': 'tile-wall',
  '~': 'tile-water',
  '.': 'tile-floor',
  ',': 'tile-grass',
};

/** A small deterministic generator, so the speckles of generated tiles look the same every run. */
function speckles(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/**
 * Draws every texture the world uses into the scene's texture manager: the art is made here,
 * nothing is downloaded. Each is a Graphics drawing baked once with `generateTexture`.
 */
export function generateTextures(scene: Phaser.Scene): void {
  const g = scene.make.graphics({}, false);
  const bake = (key: string, draw: () => void, width = TILE, height = TILE) => {
    g.clear();
    draw();
    g.generateTexture(key, width, height);
  };

  bake('tile-floor', () => {
    g.fillStyle(0xcdb891).fillRect(0, 0, TILE, TILE);
    const random = speckles(7);
    g.fillStyle(0xb9a37a);
    for (let i = 0; i < 10; i++) g.fillRect(Math.floor(random() * TILE), Math.floor(random() * TILE), 2, 2);
    g.lineStyle(1, 0xbfa982, 0.6).strokeRect(0.5, 0.5, TILE - 1, TILE - 1);
  });
  bake('tile-grass', () => {
    g.fillStyle(0x6aa84f).fillRect(0, 0, TILE, TILE);
    const random = speckles(11);
    g.lineStyle(1, 0x3f7a2b);
    for (let i = 0; i < 12; i++) {
      const x = Math.floor(random() * TILE);
      const y = Math.floor(random() * (TILE - 4)) + 4;
      g.lineBetween(x, y, x + 1, y - 4);
    }
  });
  bake('tile-wall', () => {
    g.fillStyle(0x4a4e5a).fillRect(0, 0, TILE, TILE);
    g.fillStyle(0x6b7080);
    for (let row = 0; row < 4; row++) {
      const offset = row % 2 === 0 ? 0 : TILE / 4;
      for (let col = -1; col < 2; col++) g.fillRect(col * (TILE / 2) + offset + 1, row * (TILE / 4) + 1, TILE / 2 - 2, TILE / 4 - 2);
    }
  });
  bake('tile-water', () => {
    g.fillStyle(0x2f6db5).fillRect(0, 0, TILE, TILE);
    g.lineStyle(2, 0x7fb2e8, 0.8);
    for (const y of [9, 22]) {
      g.beginPath();
      g.moveTo(3, y);
      g.lineTo(9, y - 3);
      g.lineTo(15, y);
      g.lineTo(21, y - 3);
      g.lineTo(27, y);
      g.strokePath();
    }
  });
  bake('portal', () => {
    g.fillStyle(0x6c3fb5, 0.35).fillCircle(TILE / 2, TILE / 2, TILE / 2 - 1);
    g.lineStyle(3, 0xb388ff).strokeCircle(TILE / 2, TILE / 2, TILE / 2 - 3);
    g.lineStyle(2, 0xe0d0ff).strokeCircle(TILE / 2, TILE / 2, TILE / 4);
    g.fillStyle(0xffffff).fillCircle(TILE / 2, TILE / 2, 3);
  });
  bake('marker', () => {
    g.lineStyle(3, 0xffe066).strokeCircle(TILE / 2, TILE / 2, TILE / 2 - 4);
    g.lineStyle(2, 0xffe066).lineBetween(TILE / 2 - 5, TILE / 2, TILE / 2 + 5, TILE / 2).lineBetween(TILE / 2, TILE / 2 - 5, TILE / 2, TILE / 2 + 5);
  });
  bake('self-ring', () => {
    g.lineStyle(2, 0xffffff, 0.9).strokeEllipse(TILE / 2, TILE / 2, TILE - 6, TILE / 2 - 4);
  }, TILE, TILE / 2);
  for (const characterClass of Object.values(CharacterClass)) {
    bake(`player-${characterClass}`, () => {
      g.fillStyle(0x000000, 0.25).fillEllipse(TILE / 2, TILE - 5, TILE - 10, 8);
      g.fillStyle(CLASS_COLORS[characterClass]).fillCircle(TILE / 2, TILE / 2 + 2, TILE / 2 - 6);
      g.lineStyle(2, 0x1b1b1b).strokeCircle(TILE / 2, TILE / 2 + 2, TILE / 2 - 6);
      g.fillStyle(0xf5d6b4).fillCircle(TILE / 2, TILE / 2 - 4, 6);
      g.fillStyle(0x1b1b1b).fillRect(TILE / 2 - 3, TILE / 2 - 5, 2, 2).fillRect(TILE / 2 + 1, TILE / 2 - 5, 2, 2);
    });
  }
  for (const kind of loadMonsterKinds().values()) {
    const color = monsterColor(kind.id);
    const size = kind.boss ? TILE / 2 - 2 : TILE / 2 - 7;
    bake(`monster-${kind.id}`, () => {
      g.fillStyle(0x000000, 0.25).fillEllipse(TILE / 2, TILE - 5, TILE - 10, 8);
      g.fillStyle(color).fillTriangle(TILE / 2, TILE / 2 - size, TILE / 2 - size, TILE / 2 + size, TILE / 2 + size, TILE / 2 + size);
      g.lineStyle(2, 0x1b1b1b).strokeTriangle(TILE / 2, TILE / 2 - size, TILE / 2 - size, TILE / 2 + size, TILE / 2 + size, TILE / 2 + size);
      g.fillStyle(0xff3030).fillRect(TILE / 2 - 4, TILE / 2, 2, 2).fillRect(TILE / 2 + 2, TILE / 2, 2, 2);
    });
  }
  bake('drop-gold', () => {
    g.fillStyle(0xffd54f).fillCircle(TILE / 2 - 4, TILE / 2 + 4, 5).fillCircle(TILE / 2 + 4, TILE / 2 + 5, 5).fillCircle(TILE / 2, TILE / 2 - 1, 5);
    g.lineStyle(1, 0x8d6e00).strokeCircle(TILE / 2, TILE / 2 - 1, 5);
  });
  bake('drop-item', () => {
    g.fillStyle(0x8d5a2b).fillRect(TILE / 2 - 8, TILE / 2 - 4, 16, 12);
    g.lineStyle(2, 0xffe082).strokeRect(TILE / 2 - 8, TILE / 2 - 4, 16, 12);
    g.fillStyle(0xffe082).fillRect(TILE / 2 - 2, TILE / 2 - 1, 4, 4);
  });
  g.destroy();
}

const MONSTER_PALETTE = [0x9e7b5b, 0x7d8c99, 0xb5533c, 0x6f4e9c, 0x4f8a5b, 0xc9a227, 0x8c3b5e, 0x3b6f8c];

/** A steady colour per monster kind, from its id. */
function monsterColor(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return MONSTER_PALETTE[hash % MONSTER_PALETTE.length]!;
}
