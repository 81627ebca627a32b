import type { SessionView } from '@mmo/shared';
import { areaName, type App } from '../app.js';
import type { ConnectionStatus } from '../state/store.js';
import { h, render } from './dom.js';

const STATUS_WORDS: Record<ConnectionStatus, string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  transferring: 'Travelling…',
};

/** The bar above the world: area name, connection state, account actions and the session list. */
export function hudPanel(app: App): HTMLElement {
  const area = h('h1', { class: 'area-name', 'aria-live': 'polite' });
  const who = h('span', { class: 'who' });
  const status = h('span', { class: 'connection', role: 'status' });
  const [showSessions, sessions] = sessionsButton(app);
  const back = h('button', { type: 'button' }, 'Back to characters');
  back.addEventListener('click', () => void app.leaveWorld());
  const logout = h('button', { type: 'button' }, 'Log out');
  logout.addEventListener('click', () => void app.logout());
  app.store.subscribe((state) => {
    area.textContent = areaName(state.area);
    who.textContent = state.playing ? `${state.playing.name}, level ${state.sheet?.level ?? state.playing.level} ${state.playing.class}` : '';
    status.textContent = STATUS_WORDS[state.connection];
    status.dataset.state = state.connection;
  });
  return h('header', { class: 'hud' }, area, who, status, h('nav', { class: 'actions', 'aria-label': 'Account' }, showSessions, back, logout), sessions);
}

/** Short notices (refused actions, social events) and the loading and reconnecting overlay. */
export function noticesPanel(app: App): HTMLElement {
  const list = h('ul', { class: 'notices', 'aria-live': 'polite', 'aria-label': 'Notices' });
  const overlay = h('div', { class: 'overlay', role: 'status', hidden: true });
  app.store.subscribe((state, previous) => {
    if (state.notices !== previous.notices) render(list, ...state.notices.map((n) => h('li', { class: `notice ${n.kind}` }, n.text)));
    const busy = state.screen === 'world' && (state.connection === 'reconnecting' || state.connection === 'transferring' || state.connection === 'connecting');
    overlay.hidden = !busy;
    overlay.textContent = state.connection === 'reconnecting' ? 'Reconnecting…' : state.connection === 'transferring' ? 'Loading the next area…' : 'Entering the world…';
  });
  return h('div', { class: 'notice-layer' }, list, overlay);
}

/** A "Sessions" button and the dialog it opens: the account's live sessions, each with a button to end it. */
export function sessionsButton(app: App): [HTMLButtonElement, HTMLDialogElement] {
  const dialog = sessionsDialog(app);
  const button = h('button', { type: 'button' }, 'Sessions');
  button.addEventListener('click', () => dialog.open());
  return [button, dialog.element];
}

function sessionsDialog(app: App): { element: HTMLDialogElement; open(): void } {
  const list = h('ul', { class: 'sessions' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const close = h('button', { type: 'button' }, 'Close');
  const dialog = h('dialog', { 'aria-labelledby': 'sessions-title' }, h('h2', { id: 'sessions-title' }, 'Your sessions'), list, error, close);
  close.addEventListener('click', () => dialog.close());

  async function load(): Promise<void> {
    error.hidden = true;
    const sessions = await app.auth.sessions();
    render(list, ...sessions.map((s) => row(s)));
  }
  function row(session: SessionView): HTMLElement {
    const label = `${session.deviceLabel}${session.current ? ' (this window)' : ''}`;
    const end = h('button', { type: 'button', class: 'danger' }, session.current ? 'End this session' : `End session ${session.deviceLabel}`);
    end.addEventListener('click', () => {
      app.auth
        .endSession(session.id)
        .then(() => (session.current ? app.logout() : load()))
        .catch((e: unknown) => {
          error.textContent = e instanceof Error ? e.message : 'Could not end the session.';
          error.hidden = false;
        });
    });
    return h('li', {}, h('span', {}, label, h('small', {}, ` from ${session.ip}, last used ${new Date(session.lastUsedAt).toLocaleString()}`)), end);
  }
  return {
    element: dialog,
    open() {
      dialog.showModal();
      load().catch((e: unknown) => {
        error.textContent = e instanceof Error ? e.message : 'Could not list the sessions.';
        error.hidden = false;
      });
    },
  };
}
