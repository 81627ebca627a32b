import type { PublicCharacterCard } from '@mmo/shared';
import { element, isRecord, PublicWidget, WidgetError } from './public-widget.js';

const STYLES = `
.name { margin: 0; font-size: 1.15rem; }
.summary { margin: 0.1rem 0 0.4rem; text-transform: capitalize; }
.guild { margin: 0 0 0.4rem; }
.presence { margin: 0; display: flex; align-items: center; gap: 0.4rem; }
.dot { width: 0.6rem; height: 0.6rem; border-radius: 50%; background: var(--mmo-offline, #9aa0ad); }
.online .dot { background: var(--mmo-online, #1f9d55); }
`;

function isCard(value: unknown): value is PublicCharacterCard {
  if (!isRecord(value)) return false;
  const guildOk = value.guild === null || (isRecord(value.guild) && typeof value.guild.name === 'string' && typeof value.guild.tag === 'string');
  return (
    typeof value.name === 'string' && typeof value.class === 'string' && typeof value.level === 'number' &&
    typeof value.online === 'boolean' && (value.lastSeen === null || typeof value.lastSeen === 'string') && guildOk
  );
}

/** "Last seen 4 March 2025, 06:06", in the visitor's language and time zone. */
function lastSeenText(lastSeen: string | null): string {
  if (!lastSeen) return 'Offline';
  const when = new Date(lastSeen);
  if (Number.isNaN(when.getTime())) return 'Offline';
  return `Last seen ${when.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;
}

/**
 * `<mmo-character-card name="Borin" api="https://host">`: a character's name, class, level,
 * guild and whether it is in game. A hidden or unknown character shows "not found".
 */
export class MmoCharacterCardElement extends PublicWidget<PublicCharacterCard> {
  static readonly observedAttributes = ['name', 'api'];

  constructor() {
    super(STYLES);
  }

  protected path(): string {
    const name = this.getAttribute('name')?.trim();
    if (!name) throw new WidgetError('Set the name attribute to a character name.');
    return `/public/characters/${encodeURIComponent(name)}`;
  }

  protected accept(body: unknown): PublicCharacterCard | null {
    return isCard(body) ? body : null;
  }

  protected override describeError(status: number, code: string | undefined, retryAfter: string | null): string {
    const name = this.getAttribute('name')?.trim() ?? '';
    if (code === 'CHARACTER_NOT_FOUND' || code === 'VALIDATION_FAILED') return `No character named "${name}" was found.`;
    return super.describeError(status, code, retryAfter);
  }

  protected render(card: PublicCharacterCard): void {
    const name = element('h2', 'name', card.name);
    name.setAttribute('part', 'name');
    const summary = element('p', 'summary muted', `Level ${card.level} ${card.class}`);
    summary.setAttribute('part', 'summary');
    const parts: HTMLElement[] = [name, summary];
    if (card.guild) {
      const guild = element('p', 'guild', `<${card.guild.tag}> ${card.guild.name}`);
      guild.setAttribute('part', 'guild');
      parts.push(guild);
    }
    const presence = element('p', card.online ? 'presence online' : 'presence');
    presence.setAttribute('part', 'presence');
    presence.append(element('span', 'dot'), element('span', undefined, card.online ? 'Online now' : lastSeenText(card.lastSeen)));
    parts.push(presence);
    this.content.replaceChildren(...parts);
  }
}
