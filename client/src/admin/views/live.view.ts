import { AREA_IDS } from '@mmo/shared';
import { h, table } from '../dom.js';
import { askReason } from '../sanction-dialog.js';
import type { ViewContext } from './view.js';

/** Players online by area and instance, the game processes, kicks, and announcements. */
export async function liveView(ctx: ViewContext): Promise<HTMLElement> {
  const live = await ctx.api.live();
  const fail = (error: unknown) => ctx.notify(error instanceof Error ? error.message : 'The action failed.', 'error');
  const kick = (accountId: string, name: string) => async () => {
    const answer = await askReason({ title: `Kick ${name}`, confirm: 'Confirm kick', withDuration: false });
    if (answer) ctx.api.kick(accountId, answer.reason).then(() => (ctx.notify(`${name} was kicked.`), ctx.refresh()), fail);
  };
  const text = h('input', { id: 'announce-text', required: true, maxlength: 200 });
  const area = h('select', { id: 'announce-area' }, h('option', { value: '' }, 'Everyone'), ...AREA_IDS.map((id) => h('option', { value: id }, id)));

  return h(
    'section',
    {},
    h('h1', {}, 'Live'),
    h(
      'form',
      {
        class: 'search',
        onsubmit: (event: Event) => {
          event.preventDefault();
          ctx.api.announce({ text: text.value.trim(), area: (area.value || null) as (typeof AREA_IDS)[number] | null }).then(() => {
            ctx.notify('The announcement was sent.');
            text.value = '';
          }, fail);
        },
      },
      h('label', { for: 'announce-text' }, 'Announcement'),
      text,
      h('label', { for: 'announce-area' }, 'To'),
      area,
      h('button', { type: 'submit' }, 'Send announcement'),
    ),
    h('button', { type: 'button', onclick: () => ctx.refresh() }, 'Refresh'),
    ...live.areas.map((a) =>
      table(
        `${a.area}: ${a.instances.reduce((sum, i) => sum + i.players.length, 0)} online`,
        ['Instance', 'Process', 'Player', ''],
        a.instances.flatMap((instance) =>
          instance.players.map((p) => [
            instance.roomId,
            instance.processId ?? '—',
            p.name,
            p.accountId ? h('button', { type: 'button', onclick: kick(p.accountId, p.name), 'aria-label': `Kick ${p.name}` }, 'Kick') : '',
          ]),
        ),
        'nobody.',
      ),
    ),
    table('Game processes', ['Process', 'Rooms', 'Clients'], live.processes.map((p) => [p.processId, p.rooms, p.clients]), 'none listed.'),
  );
}
