import { formatTime, h, table } from '../dom.js';
import { askReason } from '../sanction-dialog.js';
import type { ViewContext } from './view.js';

/**
 * The open reports, newest first: private messages (the conversation around one on demand) and
 * area chat lines (with the lines around them as the room kept them). One action settles a
 * report: dismiss, mute the sender or ban the sender (the report is resolved with the reason).
 */
export async function reportsView(ctx: ViewContext): Promise<HTMLElement> {
  const [{ reports }, { reports: chatReports }] = await Promise.all([ctx.api.reports('open'), ctx.api.chatReports('open')]);
  const conversation = h('section', { 'aria-live': 'polite', 'aria-label': 'Conversation' });
  const fail = (error: unknown) => ctx.notify(error instanceof Error ? error.message : 'The action failed.', 'error');

  const settle = (resolve: (reason: string) => Promise<void>, reportedName: string, action: 'dismiss' | 'mute' | 'ban') => async () => {
    const answer = await askReason({
      title: action === 'dismiss' ? 'Dismiss the report' : `${action === 'ban' ? 'Ban' : 'Mute'} ${reportedName} and resolve the report`,
      confirm: action === 'dismiss' ? 'Dismiss' : `Confirm ${action}`,
      withDuration: action !== 'dismiss',
    });
    if (!answer) return;
    try {
      if (action !== 'dismiss') {
        const found = await ctx.api.searchAccounts({ q: reportedName, by: 'character', page: 1, limit: 1 });
        const account = found.accounts[0];
        if (!account) throw new Error(`${reportedName} no longer exists.`);
        await ctx.api.sanction(account.id, action, answer);
      }
      await resolve(answer.reason);
      ctx.notify(action === 'dismiss' ? 'The report is dismissed.' : `${reportedName} is ${action === 'ban' ? 'banned' : 'muted'}; the report is resolved.`);
      ctx.refresh();
    } catch (error) {
      fail(error);
    }
  };
  const show = (reportId: string) => () => {
    ctx.api.conversation(reportId).then((read) => {
      conversation.replaceChildren(
        table(
          `Conversation between ${read.report.reporter.name} and ${read.report.reported.name}`,
          ['When', 'From', 'Text'],
          read.messages.map((m) => [formatTime(m.sentAt), m.from.name, m.id === read.report.messageId ? h('mark', {}, m.text) : m.text]),
          'the messages are gone; the report keeps its copy.',
        ),
      );
    }, fail);
  };

  return h(
    'section',
    {},
    h('h1', {}, 'Reports'),
    table(
      'Open reports',
      ['When', 'Reported', 'Message', 'Reason', 'By', 'Actions'],
      reports.map((r) => [
        formatTime(r.createdAt),
        r.reported.name,
        r.text,
        r.reason,
        r.reporter.name,
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', onclick: show(r.id) }, 'Conversation'),
          ...settleButtons((reason) => ctx.api.resolveReport(r.id, reason), r.reported.name),
        ),
      ]),
      'no open report.',
    ),
    conversation,
    table(
      'Open area chat reports',
      ['When', 'Area', 'Reported', 'Line and what was said around it', 'Reason', 'By', 'Actions'],
      chatReports.map((r) => [
        formatTime(r.createdAt),
        r.area,
        r.reportedName,
        h('ol', { class: 'chat-context' }, ...r.context.map((line) => h('li', {}, line.id === r.line.id ? h('mark', {}, `${line.from}: ${line.text}`) : `${line.from}: ${line.text}`))),
        r.reason,
        r.reporterName,
        h('div', { class: 'actions' }, ...settleButtons((reason) => ctx.api.resolveChatReport(r.id, reason), r.reportedName)),
      ]),
      'no open report.',
    ),
  );

  function settleButtons(resolve: (reason: string) => Promise<void>, reportedName: string): HTMLElement[] {
    return [
      h('button', { type: 'button', onclick: settle(resolve, reportedName, 'dismiss') }, 'Dismiss'),
      h('button', { type: 'button', onclick: settle(resolve, reportedName, 'mute') }, 'Mute sender'),
      h('button', { type: 'button', class: 'danger', onclick: settle(resolve, reportedName, 'ban') }, 'Ban sender'),
    ];
  }
}
