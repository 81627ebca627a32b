import { ApiError } from '../net/api.client.js';

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | null | EventListener>;

/**
 * Creates an element. Text children become text nodes (never HTML), so names and chat from
 * other players cannot inject markup. `on…` attributes that are functions become listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

let fieldCounter = 0;

/** A labelled form field with a place for its error, as `VALIDATION_FAILED` names fields. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): HTMLDivElement {
  fieldCounter += 1;
  input.id ||= `field-${fieldCounter}`;
  const error = h('p', { class: 'field-error', id: `${input.id}-error`, hidden: true });
  input.setAttribute('aria-describedby', error.id);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, error);
}

/** Clears a form's messages. */
export function clearErrors(form: HTMLFormElement): void {
  for (const error of form.querySelectorAll<HTMLElement>('.field-error, .form-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** Shows an error: each field error beside its field (by input name), the rest at the form's foot. */
export function showError(form: HTMLFormElement, error: unknown): void {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  let placed = false;
  if (error instanceof ApiError) {
    for (const fieldError of error.fields) {
      const input = form.querySelector<HTMLElement>(`[name="${CSS.escape(fieldError.field)}"]`);
      const slot = input && document.getElementById(`${input.id}-error`);
      if (!input || !slot) continue;
      input.setAttribute('aria-invalid', 'true');
      slot.textContent = fieldError.message;
      slot.hidden = false;
      placed = true;
    }
  }
  const formError = form.querySelector<HTMLElement>('.form-error');
  if (formError && (!placed || !(error instanceof ApiError && error.code === 'VALIDATION_FAILED'))) {
    formError.textContent = message;
    formError.hidden = false;
  }
}

/** Runs a form's action with its submit button disabled, showing what went wrong. */
export async function submitting(form: HTMLFormElement, action: () => Promise<void>): Promise<void> {
  clearErrors(form);
  const buttons = [...form.querySelectorAll<HTMLButtonElement>('button')];
  for (const button of buttons) button.disabled = true;
  try {
    await action();
  } catch (error) {
    showError(form, error);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

/** The form-level error line (an alert, so screen readers read it out). */
export function formError(): HTMLParagraphElement {
  return h('p', { class: 'form-error', role: 'alert', hidden: true });
}

/** Replaces an element's children. */
export function render(target: Element, ...children: Child[]): void {
  target.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}
