// The base of the embeddable widgets: a custom element with its own shadow root that fetches
// one public endpoint and shows a loading line, the answer, or an error line. No framework:
// a fan site pastes one <script> tag and the elements, nothing else.

/** Where this script was loaded from: the default API of every widget on the page. */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;

/** A failure to show in place of the widget's content, in words for the page's visitors. */
export class WidgetError extends Error {}

/** What a JSON error answer of the API carries. */
interface ErrorAnswer {
  code?: unknown;
  message?: unknown;
}

const BASE_STYLES = `
:host {
  display: block;
  box-sizing: border-box;
  max-width: var(--mmo-width, 22rem);
  padding: 0.75rem 1rem;
  border: 1px solid var(--mmo-border, #d0d4dc);
  border-radius: 0.5rem;
  background: var(--mmo-background, #fff);
  color: var(--mmo-text, #1d2230);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
}
:host([hidden]) { display: none; }
h2 { margin: 0 0 0.5rem; font-size: 1rem; }
.muted { color: var(--mmo-muted, #5d6475); }
.status { margin: 0; color: var(--mmo-muted, #5d6475); }
.error { margin: 0; color: var(--mmo-error, #a32020); }
`;

/**
 * A widget reading one public endpoint. Subclasses say which path their attributes ask for
 * and how to show the answer; this class fetches it again whenever an observed attribute
 * changes (several changes in one task make one request) and drops answers that arrive
 * after a newer request began.
 */
export abstract class PublicWidget<T> extends HTMLElement {
  protected readonly content: HTMLElement;
  private controller: AbortController | undefined;
  private scheduled = false;

  constructor(styles: string) {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = BASE_STYLES + styles;
    this.content = document.createElement('div');
    this.content.setAttribute('part', 'content');
    this.content.setAttribute('aria-live', 'polite');
    root.append(style, this.content);
  }

  connectedCallback(): void {
    this.schedule();
  }

  disconnectedCallback(): void {
    this.controller?.abort();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.schedule();
  }

  /** The endpoint path and query for the current attributes; throws `WidgetError` if one is missing. */
  protected abstract path(): string;

  /** Checks the answer's shape (the page may point `api` anywhere) and returns it typed, or null. */
  protected abstract accept(body: unknown): T | null;

  /** Shows the answer in `content`. */
  protected abstract render(answer: T): void;

  /** The words for an error answer; subclasses name their own cases (an unknown character). */
  protected describeError(status: number, code: string | undefined, retryAfter: string | null): string {
    if (code === 'RATE_LIMITED') return `Too many requests; try again in ${retryAfter ?? 'a few'} seconds.`;
    if (status >= 500) return 'The game server is having trouble; try again later.';
    return `The game server refused the request (${code ?? status}).`;
  }

  /** The API base: the `api` attribute, or the origin this script came from. */
  protected apiBase(): string {
    return this.getAttribute('api')?.trim() || SCRIPT_ORIGIN;
  }

  /** Replaces the content with one line of text: loading or an error. */
  protected showLine(text: string, kind: 'status' | 'error'): void {
    const line = document.createElement('p');
    line.className = kind;
    line.setAttribute('part', kind);
    line.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    line.textContent = text;
    this.content.replaceChildren(line);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.load();
    });
  }

  private async load(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.setAttribute('aria-busy', 'true');
    this.showLine('Loading…', 'status');
    try {
      const url = new URL(this.path(), this.apiBase());
      let response: Response;
      try {
        response = await fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } });
      } catch (error) {
        if (controller.signal.aborted) return;
        throw new WidgetError('The game server could not be reached.', { cause: error });
      }
      const body: unknown = await response.json().catch(() => null);
      if (controller.signal.aborted) return;
      if (!response.ok) {
        const code = (body as ErrorAnswer | null)?.code;
        throw new WidgetError(this.describeError(response.status, typeof code === 'string' ? code : undefined, response.headers.get('Retry-After')));
      }
      const answer = this.accept(body);
      if (!answer) throw new WidgetError('The game server sent an answer this widget does not understand.');
      this.render(answer);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.showLine(error instanceof WidgetError ? error.message : 'Something went wrong.', 'error');
    } finally {
      if (this.controller === controller) this.removeAttribute('aria-busy');
    }
  }
}

/** `document.createElement` with a class and text, for building content without HTML strings. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Whether `value` is an object (not null, not an array), for the shape checks of answers. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
