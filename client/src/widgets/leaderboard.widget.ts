import type { Leaderboard, PublicLeaderboard, PublicLeaderboardEntry } from '@mmo/shared';
import { element, isRecord, PublicWidget, WidgetError } from './public-widget.js';

const TITLES: Record<Leaderboard, string> = { level: 'Highest level', gold: 'Richest', monsters: 'Monster hunters' };

/** The score column of each board; `level` shows none (its score folds level and experience together). */
const SCORE_LABELS: Record<Leaderboard, string | null> = { level: null, gold: 'Gold', monsters: 'Monsters' };

const STYLES = `
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.25rem 0.4rem; text-align: left; }
th { font-size: 0.8rem; font-weight: 600; color: var(--mmo-muted, #5d6475); border-bottom: 1px solid var(--mmo-border, #d0d4dc); }
td.number, th.number { text-align: right; }
tbody tr:nth-child(odd) { background: var(--mmo-stripe, #f4f6fa); }
td.name { font-weight: 600; }
td.class { text-transform: capitalize; }
`;

function isEntry(value: unknown): value is PublicLeaderboardEntry {
  return isRecord(value) && typeof value.rank === 'number' && typeof value.name === 'string' && typeof value.class === 'string' && typeof value.level === 'number' && typeof value.score === 'number';
}

function isBoard(value: string): value is Leaderboard {
  return Object.hasOwn(TITLES, value);
}

/**
 * `<mmo-leaderboard board="level" character-class="mage" limit="10" api="https://host">`: the
 * top of a board as a table. `board` is `level` (the default), `gold` or `monsters`;
 * `character-class` (optional) narrows it to one class. It is not named `class`, the global
 * HTML attribute that pages set for their own CSS.
 */
export class MmoLeaderboardElement extends PublicWidget<PublicLeaderboard> {
  static readonly observedAttributes = ['board', 'character-class', 'limit', 'api'];

  constructor() {
    super(STYLES);
  }

  protected path(): string {
    const board = this.board();
    const query = new URLSearchParams();
    const characterClass = this.getAttribute('character-class')?.trim();
    if (characterClass) query.set('class', characterClass);
    const limit = this.getAttribute('limit')?.trim();
    if (limit) query.set('limit', limit);
    const search = query.toString();
    return `/public/leaderboards/${encodeURIComponent(board)}${search ? `?${search}` : ''}`;
  }

  protected accept(body: unknown): PublicLeaderboard | null {
    if (!isRecord(body) || typeof body.board !== 'string' || !isBoard(body.board) || !Array.isArray(body.entries)) return null;
    if (!body.entries.every(isEntry)) return null;
    return body as PublicLeaderboard;
  }

  protected override describeError(status: number, code: string | undefined, retryAfter: string | null): string {
    if (code === 'VALIDATION_FAILED') return 'This leaderboard does not exist; check the board, character-class and limit attributes.';
    return super.describeError(status, code, retryAfter);
  }

  protected render(answer: PublicLeaderboard): void {
    const title = answer.class ? `${TITLES[answer.board]}: ${answer.class}s` : TITLES[answer.board];
    const heading = element('h2', undefined, title);
    heading.setAttribute('part', 'title');
    if (answer.entries.length === 0) {
      this.content.replaceChildren(heading, element('p', 'status', 'Nobody is on this board yet.'));
      return;
    }
    const scoreLabel = SCORE_LABELS[answer.board];
    const table = element('table');
    table.setAttribute('part', 'table');
    const headRow = element('tr');
    const columns: [string, string?][] = [['#', 'number'], ['Name'], ['Class'], ['Level', 'number'], ...(scoreLabel ? [[scoreLabel, 'number'] as [string, string]] : [])];
    for (const [label, className] of columns) {
      const cell = element('th', className, label);
      cell.scope = 'col';
      headRow.append(cell);
    }
    const body = element('tbody');
    for (const entry of answer.entries) {
      const row = element('tr');
      row.setAttribute('part', 'row');
      row.append(
        element('td', 'number rank', String(entry.rank)),
        element('td', 'name', entry.name),
        element('td', 'class', entry.class),
        element('td', 'number level', String(entry.level)),
      );
      if (scoreLabel) row.append(element('td', 'number score', entry.score.toLocaleString()));
      body.append(row);
    }
    table.append(element('thead'), body);
    table.tHead!.append(headRow);
    this.content.replaceChildren(heading, table);
  }

  private board(): Leaderboard {
    const board = this.getAttribute('board')?.trim() || 'level';
    if (!isBoard(board)) throw new WidgetError(`Unknown board "${board}": use level, gold or monsters.`);
    return board;
  }
}
