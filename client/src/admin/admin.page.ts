import './admin.css';
import { AdminApi, ApiError } from './admin-api.js';
import { h } from './dom.js';
import { accountView } from './views/account.view.js';
import { accountsView } from './views/accounts.view.js';
import { auditView } from './views/audit.view.js';
import { liveView } from './views/live.view.js';
import { loginView } from './views/login.view.js';
import { reportsView } from './views/reports.view.js';
import type { ViewContext } from './views/view.js';

/**
 * The admin panel: one page, views chosen by the URL's hash (`#/accounts`, `#/account/<id>`,
 * `#/reports`, `#/audit`, `#/live`), so that moving between them never reloads the page and
 * the browser's back button works. Every server call goes through `AdminApi`.
 */
const api = new AdminApi();
const root = document.getElementById('admin')!;
const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
const main = h('main', { id: 'view' });

const ctx: ViewContext = {
  api,
  navigate(hash) {
    if (location.hash === hash) void render();
    else location.hash = hash;
  },
  notify(message, kind = 'info') {
    status.textContent = message;
    status.className = `status ${kind}`;
  },
  refresh() {
    void render();
  },
};

function shell(): HTMLElement {
  const user = api.user!;
  const link = (hash: string, label: string) => h('a', { href: hash, 'aria-current': location.hash.startsWith(hash) ? 'page' : undefined }, label);
  return h(
    'header',
    {},
    h('strong', {}, 'MMO moderation'),
    h('nav', { 'aria-label': 'Sections' }, link('#/accounts', 'Accounts'), link('#/reports', 'Reports'), link('#/audit', 'Audit log'), link('#/live', 'Live')),
    h('span', { class: 'user' }, `${user.username} (${user.role})`),
    h('button', { type: 'button', onclick: () => void api.logout().then(() => render()) }, 'Log out'),
  );
}

async function viewFor(hash: string): Promise<HTMLElement> {
  const [, section, id] = hash.split('/');
  switch (section) {
    case 'account':
      return accountView(ctx, id ?? '');
    case 'reports':
      return reportsView(ctx);
    case 'audit':
      return auditView(ctx);
    case 'live':
      return liveView(ctx);
    default:
      return accountsView(ctx);
  }
}

let rendering = 0;
async function render(): Promise<void> {
  const ticket = ++rendering;
  if (!api.user) {
    root.replaceChildren(loginView(ctx, () => ctx.navigate('#/accounts')), status);
    return;
  }
  try {
    const view = await viewFor(location.hash || '#/accounts');
    // A later navigation won: its view is the one to show.
    if (ticket !== rendering) return;
    main.replaceChildren(view);
    root.replaceChildren(shell(), status, main);
  } catch (error) {
    if (ticket !== rendering) return;
    if (error instanceof ApiError && error.status === 401) {
      ctx.notify('Your session has ended; log in again.', 'error');
      root.replaceChildren(loginView(ctx, () => ctx.navigate('#/accounts')), status);
      return;
    }
    ctx.notify(error instanceof Error ? error.message : 'Something went wrong.', 'error');
    root.replaceChildren(shell(), status, main);
  }
}

window.addEventListener('hashchange', () => {
  status.textContent = '';
  void render();
});
void render();
