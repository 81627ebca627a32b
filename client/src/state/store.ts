import type {
  AreaId,
  Character,
  CharacterSheet,
  ChatChannel,
  ConversationSummary,
  FriendList,
  Guild,
  GuildInvite,
  GuildMember,
  Party,
  PartyInvite,
  Relation,
} from '@mmo/shared';

export type Screen = 'login' | 'characters' | 'world';
export type ConnectionStatus = 'offline' | 'connecting' | 'online' | 'reconnecting' | 'transferring';
/** The chat box's tabs: the room's channels and private messages. */
/** Chat tabs; moderators' `system` lines show in the area tab. */
export type ChatTab = Exclude<ChatChannel, 'system'> | 'private';
export const CHAT_TABS: readonly ChatTab[] = ['area', 'party', 'guild', 'private'];

export interface ChatLine {
  id: number;
  from: string;
  text: string;
  /** Private lines: the other character, whichever way the line went. */
  with?: string;
}

export interface Notice {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

/** Everything the panels draw, as the servers last said it. */
export interface AppState {
  screen: Screen;
  /** Why the player is at the login screen, when it was not by choice. */
  loginMessage: string | null;
  username: string | null;
  characters: Character[];
  /** The character in play. */
  playing: Character | null;
  connection: ConnectionStatus;
  area: AreaId | null;
  notices: Notice[];
  chat: Record<ChatTab, ChatLine[]>;
  unread: Record<ChatTab, number>;
  chatTab: ChatTab;
  friends: FriendList;
  blocks: Relation[];
  party: Party | null;
  partyInvites: PartyInvite[];
  guild: Guild | null;
  roster: GuildMember[];
  guildInvites: GuildInvite[];
  conversations: ConversationSummary[];
  sheet: CharacterSheet | null;
  /** A player picked by clicking its sprite, for party invites and messages. */
  selectedPlayer: string | null;
  /** Who the chat's private line goes to. */
  chatTo: string | null;
}

export function initialState(): AppState {
  return {
    screen: 'login',
    loginMessage: null,
    username: null,
    characters: [],
    playing: null,
    connection: 'offline',
    area: null,
    notices: [],
    chat: { area: [], party: [], guild: [], private: [] },
    unread: { area: 0, party: 0, guild: 0, private: 0 },
    chatTab: 'area',
    friends: { friends: [], requests: [] },
    blocks: [],
    party: null,
    partyInvites: [],
    guild: null,
    roster: [],
    guildInvites: [],
    conversations: [],
    sheet: null,
    selectedPlayer: null,
    chatTo: null,
  };
}

type Listener = (state: AppState, previous: AppState) => void;

/** A small store: panels subscribe and render from it; network modules write what servers said. */
export class Store {
  private state: AppState = initialState();
  private readonly listeners = new Set<Listener>();
  private nextId = 1;

  get(): AppState {
    return this.state;
  }

  update(change: Partial<AppState> | ((state: AppState) => Partial<AppState>)): void {
    const previous = this.state;
    this.state = { ...previous, ...(typeof change === 'function' ? change(previous) : change) };
    for (const listener of this.listeners) listener(this.state, previous);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A short notice that fades by itself (refused actions, errors, events). */
  notify(text: string, kind: Notice['kind'] = 'error'): void {
    const id = this.nextId++;
    this.update((s) => ({ notices: [...s.notices.slice(-4), { id, text, kind }] }));
    setTimeout(() => this.update((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), 6000);
  }

  /** Adds a chat line to a tab; it counts as unread unless that tab is open. */
  addChat(tab: ChatTab, line: Omit<ChatLine, 'id'>): void {
    const id = this.nextId++;
    this.update((s) => ({
      chat: { ...s.chat, [tab]: [...s.chat[tab].slice(-199), { ...line, id }] },
      unread: s.chatTab === tab ? s.unread : { ...s.unread, [tab]: s.unread[tab] + 1 },
    }));
  }
}
