import { h } from './dom.js';

/** Preset ends a moderator picks from; `null` seconds is permanent. */
export const DURATION_PRESETS: readonly { label: string; seconds: number | null }[] = [
  { label: '15 minutes', seconds: 15 * 60 },
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 24 * 3600 },
  { label: '7 days', seconds: 7 * 24 * 3600 },
  { label: '30 days', seconds: 30 * 24 * 3600 },
  { label: 'Permanent', seconds: null },
];

export interface DialogAnswer {
  reason: string;
  durationSeconds: number | null;
}

/**
 * Asks for a reason (and, for bans and mutes, a duration) in a modal `<dialog>`. Resolves with
 * the answer, or null when cancelled.
 */
export function askReason(options: { title: string; confirm: string; withDuration: boolean; defaultDuration?: number | null }): Promise<DialogAnswer | null> {
  return new Promise((resolve) => {
    const reason = h('textarea', { id: 'dialog-reason', required: true, minlength: 3, maxlength: 500, rows: 3 });
    const duration = h(
      'select',
      { id: 'dialog-duration' },
      ...DURATION_PRESETS.map((preset) =>
        h('option', { value: preset.seconds === null ? 'permanent' : String(preset.seconds), selected: preset.seconds === (options.defaultDuration ?? 3600) }, preset.label),
      ),
    );
    const error = h('p', { class: 'error', role: 'alert' });
    const dialog = h('dialog', { 'aria-labelledby': 'dialog-title' });
    const close = (answer: DialogAnswer | null) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const form = h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          const text = reason.value.trim();
          if (text.length < 3) {
            error.textContent = 'Give a reason of at least 3 characters.';
            return;
          }
          close({ reason: text, durationSeconds: duration.value === 'permanent' ? null : Number(duration.value) });
        },
      },
      h('h2', { id: 'dialog-title' }, options.title),
      h('label', { for: 'dialog-reason' }, 'Reason'),
      reason,
      options.withDuration ? h('label', { for: 'dialog-duration' }, 'Duration') : null,
      options.withDuration ? duration : null,
      error,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, options.confirm), h('button', { type: 'button', onclick: () => close(null) }, 'Cancel')),
    );
    dialog.append(form);
    dialog.addEventListener('cancel', () => close(null));
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}
