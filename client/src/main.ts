import * as Phaser from 'phaser';
import { ClientMessage, type AreaId, type MoveMessage } from '@mmo/shared';
import { App } from './app.js';
import type { EntityAction } from './game/entity-kinds.js';
import { WorldScene } from './game/world.scene.js';
import { Store } from './state/store.js';
import { chatPanel } from './ui/chat.panel.js';
import { charactersPanel } from './ui/characters.panel.js';
import { h } from './ui/dom.js';
import { hudPanel, noticesPanel } from './ui/hud.panel.js';
import { leaderboardPanel } from './ui/leaderboard.panel.js';
import { loginPanel } from './ui/login.panel.js';
import { sheetPanel } from './ui/sheet.panel.js';
import { conversationsPanel, friendsPanel, guildPanel, partyPanel } from './ui/social.panel.js';
import './style.css';

const store = new Store();
const app = new App(store);
const root = document.querySelector<HTMLElement>('#app')!;

const login = loginPanel(app);
const characters = charactersPanel(app);
const stage = h('div', { id: 'game', class: 'game-canvas', 'aria-label': 'Game world: click a tile to walk there, arrow keys or WASD to walk, click a player to select it' });
const boards = leaderboardPanel(app);
const sidePanels = {
  Character: sheetPanel(app),
  Friends: friendsPanel(app),
  Guild: guildPanel(app),
  Messages: conversationsPanel(app),
  Leaderboards: boards,
};
const sideTabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Panels' });
const sideBody = h('div', { class: 'side-body' });
function openSide(name: keyof typeof sidePanels): void {
  sideTabs.replaceChildren(
    ...Object.keys(sidePanels).map((key) => {
      const tab = h('button', { type: 'button', role: 'tab', 'aria-selected': String(key === name) }, key);
      tab.addEventListener('click', () => openSide(key as keyof typeof sidePanels));
      return tab;
    }),
  );
  sideBody.replaceChildren(sidePanels[name]);
  if (name === 'Leaderboards') boards.load();
}
openSide('Character');
const world = h(
  'section',
  { class: 'screen world-screen', 'aria-label': 'World' },
  hudPanel(app),
  h('div', { class: 'world-body' }, h('div', { class: 'stage' }, stage, partyPanel(app), chatPanel(app)), h('aside', { class: 'side', 'aria-label': 'Character and social panels' }, sideTabs, sideBody)),
);
root.replaceChildren(login, characters, world, noticesPanel(app));

let scene: WorldScene | undefined;
/** The Phaser game starts with the first entry into the world and lives as long as the page. */
function ensureGame(): void {
  if (scene) return;
  scene = new WorldScene();
  const current = scene;
  new Phaser.Game({
    type: Phaser.AUTO,
    parent: stage,
    backgroundColor: '#1d1f27',
    pixelArt: true,
    banner: false,
    input: { keyboard: false },
    scale: { mode: Phaser.Scale.RESIZE, width: '100%', height: '100%' },
    scene: [],
    callbacks: {
      postBoot: (game) => game.scene.add('world', current, true, { bridge: bridge() }),
    },
  });
  app.world = current;
  // Read-only facts for tests and debugging: where sprites are, which area is drawn.
  Object.defineProperty(window, '__game', { get: () => current.debugInfo(), configurable: false });
}

function bridge() {
  return {
    sendMove: (message: MoveMessage) => app.game.send(ClientMessage.move, message),
    selectPlayer: (name: string) => {
      store.update({ selectedPlayer: name });
      store.notify(`Selected ${name}.`, 'info');
    },
    steppedOnPortal: (to: AreaId) => app.steppedOnPortal(to),
    act: (action: EntityAction, id: string) => app.act(action, id),
    reach: () => app.reach(),
  };
}

store.subscribe((state, previous) => {
  login.hidden = state.screen !== 'login';
  characters.hidden = state.screen !== 'characters';
  world.hidden = state.screen !== 'world';
  if (state.screen === 'world' && previous.screen !== 'world') ensureGame();
  if (state.screen !== previous.screen) document.title = state.screen === 'world' ? 'MMO: in the world' : state.screen === 'characters' ? 'MMO: characters' : 'MMO: log in';
});
store.update({});
void app.start().catch(() => undefined);
