import { PASSWORD_RULES, USERNAME_RULES } from '@mmo/shared';
import type { App } from '../app.js';
import { field, formError, h, submitting } from './dom.js';

/** The login screen: log in, or create an account (which then logs in). */
export function loginPanel(app: App): HTMLElement {
  const message = h('p', { class: 'login-message', role: 'status' });
  app.store.subscribe((state, previous) => {
    message.textContent = state.loginMessage ?? '';
    message.hidden = !state.loginMessage;
    // Back at the login (logged out, session ended): no password stays in a field.
    if (state.screen === 'login' && previous.screen !== 'login') for (const input of section.querySelectorAll('input')) input.value = '';
  });
  message.hidden = true;

  const loginForm = credentialsForm('login', 'Log in', 'Log in', (username, password) => app.login(username, password));
  const registerForm = credentialsForm('register', 'Create an account', 'Create account', (username, password) => app.register(username, password));
  const hint = h('p', { class: 'hint' }, `Names: ${USERNAME_RULES.min}–${USERNAME_RULES.max} letters, digits or _, starting with a letter. Passwords: at least ${PASSWORD_RULES.min} characters.`);
  registerForm.insertBefore(hint, registerForm.querySelector('button'));
  const section = h('section', { class: 'screen login-screen', 'aria-label': 'Account' }, h('h1', {}, 'MMO'), message, h('div', { class: 'login-forms' }, loginForm, registerForm));
  return section;
}

function credentialsForm(id: string, title: string, submit: string, action: (username: string, password: string) => Promise<void>): HTMLFormElement {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, id: `${id}-username` });
  const password = h('input', { name: 'password', type: 'password', autocomplete: id === 'login' ? 'current-password' : 'new-password', required: true, id: `${id}-password` });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    field('Username', username),
    field('Password', password),
    formError(),
    h('button', { type: 'submit' }, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(form, () => action(username.value.trim(), password.value));
  });
  return form;
}
