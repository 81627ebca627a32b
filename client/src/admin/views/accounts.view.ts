import { ACCOUNT_SEARCH_FIELDS, type AccountSearchQuery } from '@mmo/shared';
import { h, table } from '../dom.js';
import type { ViewContext } from './view.js';

const PAGE_SIZE = 10;
const labels: Record<(typeof ACCOUNT_SEARCH_FIELDS)[number], string> = { username: 'Username', character: 'Character name', address: 'Address' };

/** The last search, kept while the moderator looks at an account and comes back. */
let last: AccountSearchQuery | null = null;

/** Account search by username, character name or session address, with paging. */
export function accountsView(ctx: ViewContext): HTMLElement {
  const q = h('input', { id: 'search-q', type: 'search', required: true, value: last?.q ?? '' });
  const by = h('select', { id: 'search-by' }, ...ACCOUNT_SEARCH_FIELDS.map((field) => h('option', { value: field, selected: last?.by === field }, labels[field])));
  const results = h('section', { 'aria-live': 'polite', 'aria-label': 'Search results' });

  const show = async (query: AccountSearchQuery) => {
    last = query;
    const page = await ctx.api.searchAccounts(query);
    const pages = Math.max(1, Math.ceil(page.total / page.limit));
    results.replaceChildren(
      h('p', {}, `${page.total} account${page.total === 1 ? '' : 's'} found. Page ${page.page} of ${pages}.`),
      table(
        'Accounts',
        ['Username', 'Role', 'Characters', 'Status'],
        page.accounts.map((account) => [
          h('button', { type: 'button', class: 'link', onclick: () => ctx.navigate(`#/account/${account.id}`) }, account.username),
          account.role,
          account.characterNames.join(', ') || '—',
          [account.banned ? 'banned' : '', account.muted ? 'muted' : ''].filter(Boolean).join(', ') || 'ok',
        ]),
        'no account matches.',
      ),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Pages' },
        h('button', { type: 'button', disabled: page.page <= 1, onclick: () => void show({ ...query, page: query.page - 1 }).catch(fail) }, 'Previous page'),
        h('button', { type: 'button', disabled: page.page >= pages, onclick: () => void show({ ...query, page: query.page + 1 }).catch(fail) }, 'Next page'),
      ),
    );
  };
  const fail = (error: unknown) => ctx.notify(error instanceof Error ? error.message : 'Search failed.', 'error');
  if (last) void show(last).catch(fail);

  return h(
    'section',
    {},
    h('h1', {}, 'Accounts'),
    h(
      'form',
      {
        class: 'search',
        role: 'search',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void show({ q: q.value.trim(), by: by.value as AccountSearchQuery['by'], page: 1, limit: PAGE_SIZE }).catch(fail);
        },
      },
      h('label', { for: 'search-q' }, 'Search'),
      q,
      h('label', { for: 'search-by' }, 'Search by'),
      by,
      h('button', { type: 'submit' }, 'Search'),
    ),
    results,
  );
}
