import {
  blockListSchema,
  conversationListSchema,
  createGuildRequestSchema,
  friendListSchema,
  guildInviteListSchema,
  guildRosterSchema,
  guildSchema,
  messagePageSchema,
  partyInviteListSchema,
  partyInviteSchema,
  groupsSchema,
  partySchema,
  privateMessageSchema,
  relationSchema,
  sendFriendRequestResponseSchema,
  unreadCountSchema,
  type BlockList,
  type ConversationList,
  type FriendList,
  type Guild,
  type GuildInviteList,
  type GuildRoster,
  type MessagePage,
  type Groups,
  type Party,
  type PartyInviteList,
  type PrivateMessage,
} from '@mmo/shared';
import { z } from 'zod';
import type { ApiClient, RequestOptions } from './api.client.js';

/**
 * The social API, acting as the character in play (`X-Character-Id`): friends, blocks,
 * parties, guilds and private messages.
 */
export class SocialApi {
  constructor(
    private readonly api: ApiClient,
    private readonly characterId: () => string | undefined,
  ) {}

  private as(options: RequestOptions = {}): RequestOptions {
    const characterId = this.characterId();
    return characterId ? { ...options, characterId } : options;
  }

  private post<S extends z.ZodType>(path: string, schema: S, body: unknown = {}): Promise<z.infer<S>> {
    return this.api.request(path, schema, this.as({ method: 'POST', body }));
  }

  private remove(path: string): Promise<void> {
    return this.api.call(path, this.as({ method: 'DELETE' }));
  }

  friends(): Promise<FriendList> {
    return this.api.request('/social/friends', friendListSchema, this.as());
  }
  requestFriend(name: string) {
    return this.post('/social/friends/requests', sendFriendRequestResponseSchema, { name });
  }
  acceptFriend(characterId: string) {
    return this.post(`/social/friends/requests/${characterId}/accept`, z.unknown());
  }
  declineFriend(characterId: string) {
    return this.remove(`/social/friends/requests/${characterId}`);
  }
  removeFriend(characterId: string) {
    return this.remove(`/social/friends/${characterId}`);
  }
  blocks(): Promise<BlockList> {
    return this.api.request('/social/blocks', blockListSchema, this.as());
  }
  block(name: string) {
    return this.post('/social/blocks', relationSchema, { name });
  }
  unblock(characterId: string) {
    return this.remove(`/social/blocks/${characterId}`);
  }

  /** The party and guild the character belongs to, each null for none, in one call. */
  groups(): Promise<Groups> {
    return this.api.request('/social/groups', groupsSchema, this.as());
  }
  createParty(): Promise<Party> {
    return this.post('/social/parties', partySchema);
  }
  partyInvites(): Promise<PartyInviteList> {
    return this.api.request('/social/parties/invites', partyInviteListSchema, this.as());
  }
  inviteToParty(partyId: string, name: string) {
    return this.post(`/social/parties/${partyId}/invites`, partyInviteSchema, { name });
  }
  acceptPartyInvite(inviteId: string): Promise<Party> {
    return this.post(`/social/parties/invites/${inviteId}/accept`, partySchema);
  }
  declinePartyInvite(inviteId: string) {
    return this.remove(`/social/parties/invites/${inviteId}`);
  }
  leaveParty(partyId: string) {
    return this.post(`/social/parties/${partyId}/leave`, z.unknown());
  }
  kickFromParty(partyId: string, characterId: string) {
    return this.remove(`/social/parties/${partyId}/members/${characterId}`);
  }
  promoteInParty(partyId: string, characterId: string): Promise<Party> {
    return this.api.request(`/social/parties/${partyId}/leader`, partySchema, this.as({ method: 'PUT', body: { characterId } }));
  }

  createGuild(name: string, tag: string): Promise<Guild> {
    return this.post('/social/guilds', guildSchema, createGuildRequestSchema.parse({ name, tag }));
  }
  roster(guildId: string): Promise<GuildRoster> {
    return this.api.request(`/social/guilds/${guildId}/roster`, guildRosterSchema, this.as());
  }
  setMotd(guildId: string, motd: string): Promise<Guild> {
    return this.api.request(`/social/guilds/${guildId}`, guildSchema, this.as({ method: 'PATCH', body: { motd } }));
  }
  guildInvites(): Promise<GuildInviteList> {
    return this.api.request('/social/guilds/invites', guildInviteListSchema, this.as());
  }
  inviteToGuild(guildId: string, name: string) {
    return this.post(`/social/guilds/${guildId}/invites`, z.unknown(), { name });
  }
  acceptGuildInvite(inviteId: string): Promise<Guild> {
    return this.post(`/social/guilds/invites/${inviteId}/accept`, guildSchema);
  }
  declineGuildInvite(inviteId: string) {
    return this.remove(`/social/guilds/invites/${inviteId}`);
  }
  leaveGuild(guildId: string) {
    return this.post(`/social/guilds/${guildId}/leave`, z.unknown());
  }

  conversations(): Promise<ConversationList> {
    return this.api.request('/social/messages', conversationListSchema, this.as());
  }
  conversation(characterId: string): Promise<MessagePage> {
    return this.api.request(`/social/messages/with/${characterId}?limit=50`, messagePageSchema, this.as());
  }
  sendMessage(to: string, text: string): Promise<PrivateMessage> {
    return this.post('/social/messages', privateMessageSchema, { to, text });
  }
  markRead(characterId: string, upTo: string) {
    return this.post(`/social/messages/with/${characterId}/read`, unreadCountSchema, { upTo });
  }
}
