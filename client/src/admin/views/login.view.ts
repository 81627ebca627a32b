import { ApiError } from '../admin-api.js';
import { h } from '../dom.js';
import type { ViewContext } from './view.js';

/** The login form; moderators and admins only. */
export function loginView(ctx: ViewContext, onLoggedIn: () => void): HTMLElement {
  const username = h('input', { id: 'login-username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  return h(
    'form',
    {
      class: 'login',
      onsubmit: (event: Event) => {
        event.preventDefault();
        error.textContent = '';
        ctx.api.login(username.value.trim(), password.value).then(onLoggedIn, (failure: unknown) => {
          error.textContent = failure instanceof ApiError ? failure.message : 'The server cannot be reached.';
        });
      },
    },
    h('h1', {}, 'Moderation'),
    h('label', { for: 'login-username' }, 'Username'),
    username,
    h('label', { for: 'login-password' }, 'Password'),
    password,
    error,
    h('button', { type: 'submit' }, 'Log in'),
  );
}
