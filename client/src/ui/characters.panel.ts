import { CHARACTER_NAME_RULES, CharacterClass, type Character } from '@mmo/shared';
import { areaName, type App } from '../app.js';
import { field, formError, h, render, submitting } from './dom.js';
import { sessionsButton } from './hud.panel.js';

/** The account's characters: play, delete (with confirmation), create. */
export function charactersPanel(app: App): HTMLElement {
  const list = h('ul', { class: 'character-list', 'aria-label': 'Your characters' });
  const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
  app.store.subscribe((state, previous) => {
    if (state.characters !== previous.characters) render(list, ...renderList(state.characters));
  });

  function renderList(characters: Character[]): HTMLElement[] {
    if (characters.length === 0) return [h('li', { class: 'empty' }, 'No characters yet: create one below.')];
    return characters.map((character) => {
      const play = h('button', { type: 'button', class: 'primary' }, `Play ${character.name}`);
      play.addEventListener('click', () => {
        play.disabled = true;
        app.play(character).catch((error: unknown) => {
          status.textContent = error instanceof Error ? error.message : 'Could not enter the world.';
          status.hidden = false;
          play.disabled = false;
        });
      });
      const remove = h('button', { type: 'button', class: 'danger' }, `Delete ${character.name}`);
      remove.addEventListener('click', () => {
        if (!confirm(`Delete ${character.name} for good? Items and progress are lost.`)) return;
        app.deleteCharacter(character).catch((error: unknown) => app.report(error));
      });
      return h(
        'li',
        { class: 'character' },
        h('span', { class: `swatch class-${character.class}`, 'aria-hidden': 'true' }),
        h('span', { class: 'who' }, h('strong', {}, character.name), ` level ${character.level} ${character.class} · ${areaName(character.area)}`),
        play,
        remove,
      );
    });
  }

  const name = h('input', { name: 'name', required: true, id: 'new-character-name', minlength: CHARACTER_NAME_RULES.min, maxlength: CHARACTER_NAME_RULES.max, pattern: '[A-Za-z]+' });
  const klass = h('select', { name: 'class', id: 'new-character-class' }, ...Object.values(CharacterClass).map((c) => h('option', { value: c }, c[0]!.toUpperCase() + c.slice(1))));
  const create = h(
    'form',
    { class: 'card', 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'Create a character'),
    field('Character name', name),
    h('p', { class: 'hint' }, `${CHARACTER_NAME_RULES.min}–${CHARACTER_NAME_RULES.max} letters.`),
    field('Class', klass),
    formError(),
    h('button', { type: 'submit' }, 'Create character'),
  );
  create.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(create, async () => {
      await app.createCharacter(name.value.trim(), klass.value as CharacterClass);
      name.value = '';
    });
  });
  const logout = h('button', { type: 'button' }, 'Log out');
  logout.addEventListener('click', () => void app.logout());
  const [sessions, dialog] = sessionsButton(app);
  return h(
    'section',
    { class: 'screen characters-screen', 'aria-label': 'Characters' },
    h('header', { class: 'row' }, h('h1', {}, 'Your characters'), h('nav', { class: 'actions', 'aria-label': 'Account' }, sessions, logout)),
    dialog,
    status,
    list,
    create,
  );
}
