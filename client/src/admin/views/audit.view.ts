import { AUDIT_SERVICES, type AdminAuditEntry } from '@mmo/shared';
import { formatTime, h, table } from '../dom.js';
import type { ViewContext } from './view.js';

/** The unified audit log, newest first, with filters and older pages. */
export async function auditView(ctx: ViewContext): Promise<HTMLElement> {
  const action = h('input', { id: 'audit-action', placeholder: 'account.ban' });
  const service = h('select', { id: 'audit-service' }, h('option', { value: '' }, 'every service'), ...AUDIT_SERVICES.map((s) => h('option', { value: s }, s)));
  const target = h('input', { id: 'audit-target' });
  const results = h('section', { 'aria-live': 'polite', 'aria-label': 'Audit entries' });
  const entries: AdminAuditEntry[] = [];
  const fail = (error: unknown) => ctx.notify(error instanceof Error ? error.message : 'The audit log cannot be read.', 'error');

  const load = async (before?: string) => {
    if (!before) entries.length = 0;
    const page = await ctx.api.audit({ action: action.value.trim(), service: service.value, targetId: target.value.trim(), ...(before ? { before } : {}) });
    entries.push(...page.entries);
    results.replaceChildren(
      table(
        'Audit log',
        ['When', 'Service', 'Moderator', 'Action', 'Target', 'Reason', 'Address'],
        entries.map((e) => [formatTime(e.createdAt), e.service, e.actorName ?? e.actorId, e.action, `${e.targetType} ${e.targetId}`, e.reason ?? '—', e.ip ?? '—']),
        'no entry matches.',
      ),
      page.nextBefore ? h('button', { type: 'button', onclick: () => void load(page.nextBefore!).catch(fail) }, 'Older entries') : '',
    );
  };
  await load();
  return h(
    'section',
    {},
    h('h1', {}, 'Audit log'),
    h(
      'form',
      {
        class: 'search',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void load().catch(fail);
        },
      },
      h('label', { for: 'audit-action' }, 'Action'),
      action,
      h('label', { for: 'audit-service' }, 'Service'),
      service,
      h('label', { for: 'audit-target' }, 'Target id'),
      target,
      h('button', { type: 'submit' }, 'Filter'),
    ),
    results,
  );
}
