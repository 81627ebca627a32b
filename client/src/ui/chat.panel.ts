import { CHAT_RULES } from '@mmo/shared';
import type { App } from '../app.js';
import { CHAT_TABS, type ChatTab } from '../state/store.js';
import { field, formError, h, render, submitting } from './dom.js';

const TAB_NAMES: Record<ChatTab, string> = { area: 'Area', party: 'Party', guild: 'Guild', private: 'Private' };

/** One chat box: a tab per channel with its own history and unread count, one line to send. */
export function chatPanel(app: App): HTMLElement {
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Chat channels' });
  const log = h('ol', { class: 'chat-log', role: 'log', 'aria-live': 'polite', id: 'chat-log', tabindex: 0 });
  const text = h('input', { name: 'text', autocomplete: 'off', maxlength: CHAT_RULES.maxLength, id: 'chat-text' });
  const to = h('input', { name: 'to', autocomplete: 'off', id: 'chat-to' });
  const toField = field('To', to);
  const form = h('form', { class: 'chat-form' }, toField, field('Message', text), h('button', { type: 'submit' }, 'Send message'), formError());

  // Escape leaves the chat line, so that the arrow keys walk again.
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') text.blur();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const line = text.value.trim();
    if (!line) return;
    void submitting(form, async () => {
      await app.sendChat(app.store.get().chatTab, line, to.value.trim() || undefined);
      text.value = '';
    }).then(() => text.focus());
  });

  app.store.subscribe((state, previous) => {
    if (state.unread !== previous.unread || state.chatTab !== previous.chatTab || tabs.childElementCount === 0) {
      render(
        tabs,
        ...CHAT_TABS.map((tab) => {
          const unread = state.unread[tab];
          const button = h(
            'button',
            {
              type: 'button',
              role: 'tab',
              // "Guild chat", not "Guild": the side panels have a Guild tab too.
              'aria-label': `${TAB_NAMES[tab]} chat${unread > 0 ? `, ${unread} unread` : ''}`,
              'aria-selected': String(tab === state.chatTab),
              'aria-controls': 'chat-log',
              class: unread > 0 ? 'unread' : undefined,
            },
            TAB_NAMES[tab],
            unread > 0 ? h('span', { class: 'badge', 'aria-hidden': 'true' }, String(unread)) : null,
          );
          button.addEventListener('click', () => app.openChatTab(tab));
          return button;
        }),
      );
    }
    if (state.chat !== previous.chat || state.chatTab !== previous.chatTab) {
      const lines = state.chat[state.chatTab];
      render(log, ...lines.map((l) => h('li', {}, h('strong', {}, l.with && l.with !== l.from ? `${l.from} → ${l.with}` : l.from), ': ', l.text)));
      log.scrollTop = log.scrollHeight;
    }
    if (state.chatTo !== previous.chatTo && state.chatTo) to.value = state.chatTo;
    toField.hidden = state.chatTab !== 'private';
    text.placeholder = state.chatTab === 'private' ? 'Private message' : `Say to ${TAB_NAMES[state.chatTab].toLowerCase()}`;
  });
  return h('section', { class: 'chat', 'aria-label': 'Chat' }, tabs, log, form);
}
