import type { AdminApi } from '../admin-api.js';

/** What every view receives from the page. */
export interface ViewContext {
  api: AdminApi;
  /** Goes to another view (`#/account/<id>`) without reloading the page. */
  navigate(hash: string): void;
  /** Shows a line in the page's status region (read out by screen readers). */
  notify(message: string, kind?: 'info' | 'error'): void;
  /** Renders the current view again (after an action changed what it shows). */
  refresh(): void;
}
