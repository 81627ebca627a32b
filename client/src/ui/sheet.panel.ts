import { EQUIPMENT_SLOTS, INVENTORY_CAPACITY, ITEMS, STAT_NAMES, xpForLevel, type CharacterSheet } from '@mmo/shared';
import type { App } from '../app.js';
import { ApiError } from '../net/api.client.js';
import { field, formError, h, render, submitting } from './dom.js';

/** The character sheet: level, XP bar, stats, equipment and the inventory grid with its actions. */
export function sheetPanel(app: App): HTMLElement {
  const summary = h('div', { class: 'sheet-summary' });
  const equipment = h('ul', { class: 'list equipment', 'aria-label': 'Equipment' });
  const grid = h('div', { class: 'inventory-grid', role: 'group', 'aria-label': 'Inventory' });
  const actions = h('div', { class: 'slot-actions' });
  let selected: number | null = null;

  const to = h('input', { name: 'to', type: 'number', min: 0, max: INVENTORY_CAPACITY - 1, id: 'move-to', required: true });
  const quantity = h('input', { name: 'quantity', type: 'number', min: 1, id: 'move-quantity' });
  const moveForm = h('form', { class: 'inline-form' }, field('To slot', to), field('Quantity (empty: all)', quantity), h('button', { type: 'submit' }, 'Move or split'), formError());
  moveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (selected === null) return;
    const from = selected;
    void submitting(moveForm, async () => {
      if (Number(to.value) === from) throw new ApiError(400, { code: 'VALIDATION_FAILED', message: 'Pick another slot.', fields: [{ field: 'to', message: 'must differ from the slot the item is in' }] });
      await app.moveItem(from, Number(to.value), quantity.value ? Number(quantity.value) : undefined);
      selected = Number(to.value);
      draw(app.store.get().sheet);
    });
  });
  const discardQuantity = h('input', { name: 'quantity', type: 'number', min: 1, id: 'discard-quantity' });
  const discardForm = h('form', { class: 'inline-form' }, field('Discard how many (empty: all)', discardQuantity), h('button', { type: 'submit', class: 'danger' }, 'Discard'), formError());
  discardForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (selected === null) return;
    const slot = selected;
    void submitting(discardForm, async () => {
      await app.discardItem(slot, discardQuantity.value ? Number(discardQuantity.value) : undefined);
      discardQuantity.value = '';
    });
  });
  const equipError = formError();

  function draw(sheet: CharacterSheet | null): void {
    if (!sheet) {
      render(summary, h('p', {}, 'Loading…'));
      return;
    }
    const needed = xpForLevel(sheet.level);
    render(
      summary,
      h('p', {}, h('strong', {}, sheet.name), ` level ${sheet.level} ${sheet.class} · ${sheet.gold} gold · HP ${sheet.maxHp}`),
      h('label', { for: 'xp-bar' }, `Experience ${sheet.xp} / ${needed || 'max'}`),
      h('progress', { id: 'xp-bar', max: needed || 1, value: needed ? sheet.xp : 1 }),
      h('dl', { class: 'stats' }, ...STAT_NAMES.flatMap((name) => [h('dt', {}, name), h('dd', {}, String(sheet.stats[name]))])),
    );
    render(
      equipment,
      ...EQUIPMENT_SLOTS.map((slot) => {
        const item = sheet.equipment[slot];
        const unequip = h('button', { type: 'button' }, `Unequip ${item?.name ?? ''}`);
        unequip.addEventListener('click', () => void app.unequip(slot).catch((e: unknown) => app.report(e)));
        return h('li', {}, h('span', {}, h('small', {}, `${slot}: `), item?.name ?? '—'), item ? unequip : null);
      }),
    );
    const bySlot = new Map(sheet.inventory.slots.map((s) => [s.slot, s]));
    render(
      grid,
      ...Array.from({ length: sheet.inventory.capacity }, (_unused, index) => {
        const stack = bySlot.get(index);
        const label = stack ? `Slot ${index}: ${stack.item.name}${stack.quantity > 1 ? ` ×${stack.quantity}` : ''}` : `Slot ${index}: empty`;
        const cell = h(
          'button',
          { type: 'button', class: `slot${stack ? ' filled' : ''}`, 'aria-label': label, 'aria-pressed': String(selected === index), title: label },
          stack ? h('span', { class: `item item-${ITEMS.get(stack.item.id)?.kind ?? 'material'}` }, stack.item.name.slice(0, 2)) : '',
          stack && stack.quantity > 1 ? h('span', { class: 'qty' }, String(stack.quantity)) : null,
        );
        cell.addEventListener('click', () => {
          selected = stack ? index : null;
          draw(app.store.get().sheet);
        });
        return cell;
      }),
    );
    const stack = selected === null ? undefined : bySlot.get(selected);
    if (!stack) {
      selected = null;
      render(actions, h('p', { class: 'hint' }, 'Pick an item to equip, use, move, split or discard it.'));
      return;
    }
    const definition = ITEMS.get(stack.item.id);
    const equipSlot = definition?.slot;
    const equip = h('button', { type: 'button' }, `Equip ${stack.item.name}`);
    equip.addEventListener('click', () => {
      if (!equipSlot) return;
      equipError.hidden = true;
      app.equip(stack.slot, equipSlot).catch((e: unknown) => {
        equipError.textContent = e instanceof Error ? e.message : 'Could not equip.';
        equipError.hidden = false;
      });
    });
    const use = h('button', { type: 'button' }, `Use ${stack.item.name}`);
    use.addEventListener('click', () => app.useItem(stack.slot));
    const usable = definition?.kind === 'consumable' && definition.heal !== undefined;
    render(actions, h('h3', {}, `${stack.item.name} (slot ${stack.slot})`), equipSlot ? equip : null, usable ? use : null, equipError, moveForm, discardForm);
  }

  app.store.subscribe((state, previous) => {
    if (state.sheet !== previous.sheet) draw(state.sheet);
  });
  draw(null);
  const refresh = h('button', { type: 'button' }, 'Refresh character');
  refresh.addEventListener('click', () => void app.refreshSheet().catch((e: unknown) => app.report(e)));
  return h(
    'section',
    { class: 'panel sheet', 'aria-labelledby': 'sheet-title' },
    h('h2', { id: 'sheet-title' }, 'Character'),
    summary,
    refresh,
    h('h3', {}, 'Equipment'),
    equipment,
    h('h3', {}, 'Inventory'),
    grid,
    actions,
  );
}
