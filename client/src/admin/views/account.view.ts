import { Role, type AccountDetail } from '@mmo/shared';
import { formatTime, h, table, until } from '../dom.js';
import { askReason } from '../sanction-dialog.js';
import type { ViewContext } from './view.js';

/**
 * One account: its standing, actions (ban, mute, lifting them, kick, ending a session, and
 * for admins the role), characters, sessions, sanction history and reports against it.
 */
export async function accountView(ctx: ViewContext, accountId: string): Promise<HTMLElement> {
  const account = await ctx.api.account(accountId);
  const isAdmin = ctx.api.user?.role === 'admin';
  const act = (work: () => Promise<unknown>, done: string) => {
    work().then(
      () => {
        ctx.notify(done);
        ctx.refresh();
      },
      (error: unknown) => ctx.notify(error instanceof Error ? error.message : 'The action failed.', 'error'),
    );
  };
  const sanction = (kind: 'ban' | 'mute') => async () => {
    const answer = await askReason({ title: `${kind === 'ban' ? 'Ban' : 'Mute'} ${account.username}`, confirm: `Confirm ${kind}`, withDuration: true });
    if (answer) act(() => ctx.api.sanction(account.id, kind, answer), `${account.username} is ${kind === 'ban' ? 'banned' : 'muted'}.`);
  };
  const lift = (kind: 'ban' | 'mute') => async () => {
    const answer = await askReason({ title: `Lift the ${kind} of ${account.username}`, confirm: `Confirm un${kind}`, withDuration: false });
    if (answer) act(() => ctx.api.lift(account.id, kind, answer.reason), `The ${kind} of ${account.username} is lifted.`);
  };
  const kick = async () => {
    const answer = await askReason({ title: `Kick ${account.username}`, confirm: 'Confirm kick', withDuration: false });
    if (answer) act(() => ctx.api.kick(account.id, answer.reason), `${account.username} was kicked.`);
  };
  const endSession = (sessionId: string) => async () => {
    const answer = await askReason({ title: `End a session of ${account.username}`, confirm: 'End session', withDuration: false });
    if (answer) act(() => ctx.api.endSession(account.id, sessionId, answer.reason), 'The session has ended.');
  };

  const role = h('select', { id: 'account-role' }, ...Object.values(Role).map((value) => h('option', { value, selected: value === account.role }, value)));
  const changeRole = async () => {
    const answer = await askReason({ title: `Make ${account.username} ${role.value}`, confirm: 'Change role', withDuration: false });
    if (answer) act(() => ctx.api.changeRole(account.id, role.value as Role, answer.reason), `${account.username} is now ${role.value}.`);
  };

  return h(
    'section',
    {},
    h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => ctx.navigate('#/accounts') }, '← Back to the search')),
    h('h1', {}, account.username),
    h('p', { class: 'standing' }, `Role: ${account.role}. Created ${formatTime(account.createdAt)}, last login ${formatTime(account.lastLoginAt)}.`),
    standing(account),
    h(
      'div',
      { class: 'actions' },
      account.ban ? h('button', { type: 'button', onclick: lift('ban') }, 'Unban') : h('button', { type: 'button', class: 'danger', onclick: sanction('ban') }, 'Ban'),
      account.mute ? h('button', { type: 'button', onclick: lift('mute') }, 'Unmute') : h('button', { type: 'button', onclick: sanction('mute') }, 'Mute'),
      h('button', { type: 'button', onclick: kick }, 'Kick'),
    ),
    isAdmin
      ? h('div', { class: 'actions' }, h('label', { for: 'account-role' }, 'Role'), role, h('button', { type: 'button', onclick: changeRole }, 'Change role'))
      : null,
    table(
      'Characters',
      ['Name', 'Class', 'Level', 'Area', 'Online', 'Last seen'],
      account.characters.map((c) => [c.name, c.class, c.level, c.area, c.online ? `in ${c.online.area}` : 'offline', formatTime(c.lastSeenAt)]),
    ),
    table(
      'Sessions',
      ['Address', 'Device', 'Last use', 'Status', ''],
      account.sessions.map((s) => [
        s.ip,
        s.deviceLabel,
        formatTime(s.lastUsedAt),
        s.revokedAt ? `ended ${formatTime(s.revokedAt)} (${s.revokedReason ?? ''})` : 'live',
        s.revokedAt ? '' : h('button', { type: 'button', onclick: endSession(s.id), 'aria-label': `End session from ${s.ip}` }, 'End session'),
      ]),
    ),
    table(
      'History',
      ['What', 'Reason', 'From', 'Until', 'By', 'Lifted'],
      account.sanctions.map((s) => [
        s.kind.replace('_', ' ') + (s.active ? ' (in force)' : ''),
        s.reason,
        formatTime(s.startsAt),
        s.kind === 'ban' || s.kind === 'mute' ? (s.endsAt ? formatTime(s.endsAt) : 'permanent') : '—',
        s.issuedBy ?? 'system',
        s.liftedAt ? `${formatTime(s.liftedAt)} by ${s.liftedBy ?? '?'}: ${s.liftReason ?? ''}` : '—',
      ]),
    ),
    table(
      'Reports against this account',
      ['When', 'Where', 'Reported by', 'Character', 'Text', 'Reason', 'Status'],
      account.reports.map((r) => [formatTime(r.createdAt), r.kind === 'message' ? 'private message' : 'area chat', r.reporterName, r.reportedName, r.text, r.reason, r.resolvedAt ? 'resolved' : 'open']),
    ),
  );
}

function standing(account: AccountDetail): HTMLElement {
  const lines: string[] = [];
  if (account.ban) lines.push(`Banned ${until(account.ban.endsAt)}: ${account.ban.reason}`);
  if (account.mute) lines.push(`Muted ${until(account.mute.endsAt)}: ${account.mute.reason}`);
  return h('p', { class: lines.length > 0 ? 'sanctioned' : 'clear', 'data-testid': 'standing' }, lines.join(' · ') || 'No ban or mute in force.');
}
