import { CharacterClass, LEADERBOARDS, LEVEL_SCORE_STEP, type Leaderboard } from '@mmo/shared';
import type { App } from '../app.js';
import { field, h, render } from './dom.js';

const BOARD_NAMES: Record<Leaderboard, string> = { level: 'Highest level', gold: 'Most gold', monsters: 'Most monsters defeated' };

/** The public leaderboards, overall or per class. */
export function leaderboardPanel(app: App): HTMLElement & { load(): void } {
  const board = h('select', { name: 'board', id: 'board-select' }, ...Object.values(LEADERBOARDS).map((b) => h('option', { value: b }, BOARD_NAMES[b])));
  const klass = h('select', { name: 'class', id: 'board-class' }, h('option', { value: '' }, 'All classes'), ...Object.values(CharacterClass).map((c) => h('option', { value: c }, c)));
  const table = h('div', {});
  async function load(): Promise<void> {
    const chosen = board.value as Leaderboard;
    const page = await app.player.leaderboard(chosen, 20, klass.value ? (klass.value as CharacterClass) : undefined);
    render(
      table,
      h(
        'table',
        { class: 'board' },
        h('caption', {}, BOARD_NAMES[chosen]),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Class'), h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Score'))),
        h('tbody', {}, ...page.entries.map((e) => h('tr', {}, h('td', {}, String(e.rank)), h('td', {}, e.name), h('td', {}, e.class), h('td', {}, String(e.level)), h('td', {}, chosen === 'level' ? `${e.score % LEVEL_SCORE_STEP} XP` : String(e.score))))),
      ),
      page.entries.length === 0 ? h('p', { class: 'empty' }, 'Nobody on this board yet.') : null,
    );
  }
  const reload = () => void load().catch((e: unknown) => app.report(e));
  board.addEventListener('change', reload);
  klass.addEventListener('change', reload);
  const refresh = h('button', { type: 'button' }, 'Refresh leaderboard');
  refresh.addEventListener('click', reload);
  const section = h('section', { class: 'panel', 'aria-labelledby': 'boards-title' }, h('h2', { id: 'boards-title' }, 'Leaderboards'), h('div', { class: 'inline-form' }, field('Board', board), field('Class', klass), refresh), table);
  return Object.assign(section, { load: reload });
}
