import {
  AREA_IDS,
  CLASS_ATTACK,
  ClientMessage,
  ITEMS,
  loadWorld,
  type AreaId,
  type Character,
  type CharacterClass,
  type ChatChannel,
  type CombatEventView,
  type EquipmentSlot,
  type Notification,
  type PrivateMessage,
  ServerMessage,
  type ServerMessageName,
  type ServerMessages,
} from '@mmo/shared';
import { ApiClient, ApiError } from './net/api.client.js';
import { AuthApi } from './net/auth.api.js';
import { GameConnection, type ConnectionEnd, type GameRoom } from './net/game.connection.js';
import { PlayerApi } from './net/player.api.js';
import { SocialApi } from './net/social.api.js';
import type { ChatTab, Store } from './state/store.js';

/** The scene's side of the page, which the app tells what to draw. */
export interface WorldView {
  show(room: GameRoom, area: AreaId): void;
  clear(): void;
  /** Damage and heal numbers over the sprites. */
  showCombat(events: readonly CombatEventView[]): void;
}

/**
 * The page's actions: what panels call, in one place. Each calls one network module and
 * writes what the server answered into the store; panels and the scene render from there.
 */
export class App {
  readonly api = new ApiClient();
  readonly auth = new AuthApi(this.api);
  readonly player = new PlayerApi(this.api);
  readonly social = new SocialApi(this.api, () => this.store.get().playing?.id);
  readonly game: GameConnection;
  world: WorldView | undefined;
  private portalTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Experience and level as the game last told them (`xp` events). The player API's sheet has
   * them as of the character's last save (up to a save interval old), so a sheet reloaded while
   * playing shows these instead.
   */
  private liveProgress: { characterId: string; xp: number; level: number } | null = null;

  constructor(readonly store: Store) {
    this.api.onSessionEnded = (reason) => void this.toLogin(reason);
    this.game = new GameConnection({
      joined: (room, area) => {
        clearTimeout(this.portalTimer);
        this.store.update({ area, connection: 'online' });
        this.world?.show(room, area);
      },
      status: (connection) => this.store.update({ connection }),
      message: (name, payload) => this.onRoomMessage(name, payload),
      ended: (end) => void this.onConnectionEnded(end),
    });
  }

  async start(): Promise<void> {
    if (await this.auth.resume()) await this.toCharacters();
  }

  // Account

  async register(username: string, password: string): Promise<void> {
    await this.auth.register(username, password);
    await this.login(username, password);
  }

  async login(username: string, password: string): Promise<void> {
    await this.auth.login(username, password);
    this.store.update({ username, loginMessage: null });
    await this.toCharacters();
  }

  async logout(): Promise<void> {
    await this.game.leave();
    this.world?.clear();
    await this.auth.logout().catch(() => undefined);
    this.store.update({ screen: 'login', playing: null, loginMessage: 'You logged out.' });
  }

  private async toLogin(message: string): Promise<void> {
    await this.game.leave();
    this.world?.clear();
    this.api.clearTokens();
    this.store.update({ screen: 'login', playing: null, connection: 'offline', loginMessage: message });
  }

  // Characters

  async toCharacters(message?: string): Promise<void> {
    const characters = await this.player.characters();
    this.store.update({ screen: 'characters', characters, playing: null, connection: 'offline', area: null });
    if (message) this.store.notify(message, 'info');
  }

  async createCharacter(name: string, characterClass: CharacterClass): Promise<void> {
    await this.player.createCharacter(name, characterClass);
    this.store.update({ characters: await this.player.characters() });
  }

  async deleteCharacter(character: Character): Promise<void> {
    await this.player.deleteCharacter(character.id);
    this.store.update({ characters: await this.player.characters() });
  }

  async play(character: Character): Promise<void> {
    const entered = await this.player.enterWorld(character.id);
    // Loaded from the last save, which includes everything the game told before it.
    this.liveProgress = null;
    this.store.update((s) => ({
      screen: 'world',
      playing: character,
      chat: { area: [], party: [], guild: [], private: [] },
      unread: { area: 0, party: 0, guild: 0, private: 0 },
      selectedPlayer: null,
      area: entered.area as AreaId,
      loginMessage: s.loginMessage,
    }));
    await this.game.join(entered.reservation, areaOf(entered.area));
    void this.refreshSocial();
    void this.refreshSheet();
  }

  async leaveWorld(): Promise<void> {
    await this.game.leave();
    this.world?.clear();
    await this.toCharacters();
  }

  private async onConnectionEnded(end: ConnectionEnd): Promise<void> {
    this.world?.clear();
    if (end.next === 'login') {
      // Ask the primary why: a ban answers ACCOUNT_BANNED with its reason, a revoked session
      // SESSION_REVOKED; either way the client ends up at the login with the words.
      const refreshed = await this.api.refresh();
      if (refreshed) await this.toLogin(end.message);
      else if (this.store.get().screen !== 'login') await this.toLogin(end.message);
      return;
    }
    await this.toCharacters(end.message).catch(() => undefined);
  }

  // Room messages

  private onRoomMessage<K extends ServerMessageName>(name: K, payload: ServerMessages[K]): void {
    if (name === ServerMessage.chat) {
      const line = payload as ServerMessages['chat'];
      if (line.channel === 'system') {
        // A moderator's announcement: in the area tab, and as a notice nobody misses.
        this.store.addChat('area', { from: line.from, text: line.text });
        this.store.notify(`${line.from}: ${line.text}`, 'info');
      } else {
        this.store.addChat(line.channel, { from: line.from, text: line.text });
      }
    } else if (name === ServerMessage.error) {
      const error = payload as ServerMessages['error'];
      this.store.notify(error.message);
    } else if (name === ServerMessage.notify) {
      this.onNotification(payload as ServerMessages['notify']);
    } else if (name === 'combat') {
      this.onCombat((payload as ServerMessages['combat']).events);
    }
  }

  private onNotification(event: Notification): void {
    switch (event.type) {
      case 'friend.request':
        this.store.notify(`${event.from.name} asks to be your friend.`, 'info');
        void this.refreshFriends();
        break;
      case 'friend.accepted':
        this.store.notify(`${event.friend.name} is now your friend.`, 'info');
        void this.refreshFriends();
        break;
      case 'friend.online':
      case 'friend.offline':
        void this.refreshFriends();
        break;
      case 'party.invite':
        this.store.update((s) => ({ partyInvites: [...s.partyInvites.filter((i) => i.id !== event.invite.id), event.invite] }));
        this.store.notify(`${event.invite.from.name} invites you to a party.`, 'info');
        break;
      case 'party.updated':
        this.store.update({ party: event.party });
        if (event.reason === 'kicked' && !event.party) this.store.notify('You were removed from the party.', 'info');
        break;
      case 'guild.invite':
        this.store.update((s) => ({ guildInvites: [...s.guildInvites.filter((i) => i.id !== event.invite.id), event.invite] }));
        this.store.notify(`${event.invite.from.name} invites you to the guild ${event.invite.guild.name}.`, 'info');
        break;
      case 'guild.updated':
        void this.refreshGuild();
        break;
      case 'message.received':
        this.receivePrivate(event.message);
        void this.refreshConversations();
        break;
      default: {
        const never: never = event;
        void never;
      }
    }
  }

  private receivePrivate(message: PrivateMessage): void {
    const me = this.store.get().playing?.id;
    const other = message.from.id === me ? message.to : message.from;
    this.store.addChat('private', { from: message.from.name, text: message.text ?? '(removed by a moderator)', with: other.name });
  }

  // Chat

  async sendChat(tab: ChatTab, text: string, to?: string): Promise<void> {
    if (tab === 'private') {
      if (!to) throw new Error('Name who the message is for.');
      const sent = await this.social.sendMessage(to, text);
      this.receivePrivate(sent);
      return;
    }
    this.game.send(ClientMessage.chat, { text, channel: tab as ChatChannel });
  }

  openChatTab(tab: ChatTab): void {
    this.store.update((s) => ({ chatTab: tab, unread: { ...s.unread, [tab]: 0 } }));
  }

  async openConversation(characterId: string, name: string): Promise<void> {
    const page = await this.social.conversation(characterId);
    const newest = page.messages[0];
    this.store.update((s) => ({ chat: { ...s.chat, private: s.chat.private.filter((l) => l.with !== name) } }));
    for (const message of [...page.messages].reverse()) this.receivePrivate(message);
    this.store.update({ chatTo: name });
    this.openChatTab('private');
    if (newest) await this.social.markRead(characterId, newest.id);
    await this.refreshConversations();
  }

  // Social

  async refreshSocial(): Promise<void> {
    await Promise.all([this.refreshFriends(), this.refreshGroups(), this.refreshConversations()]).catch((error: unknown) => this.report(error));
  }

  async refreshFriends(): Promise<void> {
    const [friends, blocks] = await Promise.all([this.social.friends(), this.social.blocks()]);
    this.store.update({ friends, blocks: blocks.blocks });
  }

  async refreshParty(): Promise<void> {
    const [{ party }, invites] = await Promise.all([this.social.groups(), this.social.partyInvites()]);
    this.store.update({ party, partyInvites: invites.invites });
  }

  async refreshGuild(): Promise<void> {
    const [{ guild }, invites] = await Promise.all([this.social.groups(), this.social.guildInvites()]);
    const roster = guild ? (await this.social.roster(guild.id)).members : [];
    this.store.update({ guild, roster, guildInvites: invites.invites });
  }

  /** Party and guild together, as on entering the world. */
  async refreshGroups(): Promise<void> {
    const [{ party, guild }, partyInvites, guildInvites] = await Promise.all([this.social.groups(), this.social.partyInvites(), this.social.guildInvites()]);
    const roster = guild ? (await this.social.roster(guild.id)).members : [];
    this.store.update({ party, partyInvites: partyInvites.invites, guild, roster, guildInvites: guildInvites.invites });
  }

  async refreshConversations(): Promise<void> {
    this.store.update({ conversations: (await this.social.conversations()).conversations });
  }

  /** Invites by name, starting a party first when the player has none. */
  async inviteToParty(name: string): Promise<void> {
    const party = this.store.get().party ?? (await this.social.createParty());
    this.store.update({ party });
    await this.social.inviteToParty(party.id, name);
    this.store.notify(`Invited ${name} to the party.`, 'info');
  }

  async acceptPartyInvite(inviteId: string): Promise<void> {
    const party = await this.social.acceptPartyInvite(inviteId);
    this.store.update((s) => ({ party, partyInvites: s.partyInvites.filter((i) => i.id !== inviteId) }));
  }

  async declinePartyInvite(inviteId: string): Promise<void> {
    await this.social.declinePartyInvite(inviteId);
    this.store.update((s) => ({ partyInvites: s.partyInvites.filter((i) => i.id !== inviteId) }));
  }

  async leaveParty(): Promise<void> {
    const party = this.store.get().party;
    if (party) await this.social.leaveParty(party.id);
    this.store.update({ party: null });
  }

  async kickFromParty(characterId: string): Promise<void> {
    const party = this.store.get().party;
    if (party) await this.social.kickFromParty(party.id, characterId);
    await this.refreshParty();
  }

  async promoteInParty(characterId: string): Promise<void> {
    const party = this.store.get().party;
    if (party) this.store.update({ party: await this.social.promoteInParty(party.id, characterId) });
  }

  async acceptGuildInvite(inviteId: string): Promise<void> {
    await this.social.acceptGuildInvite(inviteId);
    await this.refreshGuild();
  }

  async declineGuildInvite(inviteId: string): Promise<void> {
    await this.social.declineGuildInvite(inviteId);
    await this.refreshGuild();
  }

  // Combat

  /**
   * What a fight tells the page: numbers over the sprites, and for the own character its
   * experience and level in the sheet at once, deaths, respawns and loot as notices; loot and
   * potions change the inventory, which the sheet reloads.
   */
  private onCombat(events: readonly CombatEventView[]): void {
    this.world?.showCombat(events);
    const self = this.game.current?.sessionId;
    for (const event of events) {
      switch (event.type) {
        case 'xp': {
          const playing = this.store.get().playing;
          if (playing) this.liveProgress = { characterId: playing.id, xp: event.xp, level: event.level };
          this.store.update((s) => (s.sheet ? { sheet: { ...s.sheet, xp: event.xp, level: event.level } } : {}));
          break;
        }
        case 'levelUp':
          if (event.playerId === self) this.store.notify(`Level up! You are now level ${event.level}.`, 'info');
          break;
        case 'death':
          if (event.kind === 'player' && event.id === self) this.store.notify('You died. You will come back at the area entrance in a few seconds.');
          break;
        case 'respawn':
          if (event.playerId === self) this.store.notify('You are back on your feet.', 'info');
          break;
        case 'loot':
          if (event.playerId === self) {
            this.store.notify(event.itemId === null ? `Picked up ${event.quantity} gold.` : `Picked up ${ITEMS.get(event.itemId)?.name ?? event.itemId}${event.quantity > 1 ? ` ×${event.quantity}` : ''}.`, 'info');
            void this.refreshSheet().catch(() => undefined);
          }
          break;
        case 'heal':
          if (event.playerId === self && event.amount > 0) void this.refreshSheet().catch(() => undefined);
          break;
        case 'hit':
          break;
      }
    }
  }

  /** Hit a monster or take a drop (the scene checked the reach). */
  act(action: 'attack' | 'pickup', id: string): void {
    if (action === 'attack') this.game.send(ClientMessage.attack, { targetId: id });
    else this.game.send(ClientMessage.pickup, { dropId: id });
  }

  /** How far the character in play hits, in tiles. */
  reach(): number {
    const playing = this.store.get().playing;
    return playing ? CLASS_ATTACK[playing.class].range : 1;
  }

  /** Drinks the potion in an inventory slot; the heal comes back as a `combat` event. */
  useItem(slot: number): void {
    this.game.send(ClientMessage.use, { slot });
  }

  // Character sheet and inventory

  async refreshSheet(): Promise<void> {
    const playing = this.store.get().playing;
    if (playing) this.store.update({ sheet: this.withLiveProgress(await this.player.sheet(playing.id)) });
  }

  private withLiveProgress<S extends { id: string; xp: number; level: number }>(sheet: S): S {
    const live = this.liveProgress;
    return live && live.characterId === sheet.id ? { ...sheet, xp: live.xp, level: live.level } : sheet;
  }

  async equip(from: number, slot: EquipmentSlot): Promise<void> {
    await this.changeSheet((id) => this.player.equip(id, slot, from));
  }

  async unequip(slot: EquipmentSlot): Promise<void> {
    await this.changeSheet((id) => this.player.unequip(id, slot));
  }

  async moveItem(from: number, to: number, quantity?: number): Promise<void> {
    await this.changeSheet((id) => this.player.moveItem(id, from, to, quantity));
  }

  async discardItem(slot: number, quantity?: number): Promise<void> {
    await this.changeSheet((id) => this.player.discardItem(id, slot, quantity));
  }

  private async changeSheet(change: (characterId: string) => ReturnType<PlayerApi['sheet']>): Promise<void> {
    const playing = this.store.get().playing;
    if (!playing) return;
    this.store.update({ sheet: this.withLiveProgress(await change(playing.id)) });
  }

  // World

  /** The scene reports the own character on a portal: a short loading state until the hop. */
  steppedOnPortal(to: AreaId): void {
    this.store.update({ connection: 'transferring' });
    clearTimeout(this.portalTimer);
    // The server refuses a hop when no instance has room; do not leave the loading state up.
    this.portalTimer = setTimeout(() => {
      if (this.store.get().connection === 'transferring') this.store.update({ connection: 'online' });
    }, 5000);
    void to;
  }

  /** Shows an action's failure as a notice. */
  report(error: unknown): void {
    this.store.notify(error instanceof ApiError || error instanceof Error ? error.message : 'Something went wrong.');
  }
}

function areaOf(value: string): AreaId {
  return AREA_IDS.find((id) => id === value) ?? 'town';
}

/** The shown name of an area id ("Millbrook" for `town`). */
export function areaName(id: string | null | undefined): string {
  if (!id) return '';
  return loadWorld().get(areaOf(id))?.name ?? id;
}
