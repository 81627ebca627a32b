import { ClientState, type Client } from '@colyseus/core';
import type { EventBus, Logger, OnlineDirectory, OnlineEntry } from '@mmo/platform';
import { ErrorCode, ServerMessage, type AreaId, type Notification, type BusEvent, type ChatChannel, type RoomError } from '@mmo/shared';

/** Connection states in which a message sent reaches the client (joining ones queue it). */
const RECEIVING = new Set<ClientState>([ClientState.JOINING, ClientState.JOINED, ClientState.RECONNECTED]);

/** What the link needs to know of a connected character. */
export interface LinkedOccupant {
  client: Client;
  character: { id: string; name: string; area: AreaId };
}

export interface SocialLinkDeps {
  bus: EventBus;
  online: OnlineDirectory;
  logger: Logger;
  /** How long an online entry lasts unless refreshed; the room refreshes it every save round. */
  onlineTtlSeconds: number;
}

/**
 * A room's side of the social features: it records its characters in the online directory,
 * announces arrivals and departures on the bus, relays party and guild chat to the social API,
 * and forwards `social.deliver` events to the clients they name, as `notify`, `chat` or
 * `error` messages. Failures here are logged and never cost a player their place in the room.
 */
export class SocialLink {
  private stopFollowing: (() => Promise<void>) | undefined;
  /** Connections handed on through a portal, until they leave this room. */
  private readonly handed = new Map<string, LinkedOccupant>();

  constructor(
    private readonly deps: SocialLinkDeps,
    private readonly roomId: string,
  ) {}

  /**
   * Follows deliveries; `clientsOf` finds this room's connections of a character, and
   * `noticed` hears every notification for a character held here (the room follows party
   * changes for combat with it).
   */
  async start(clientsOf: (characterId: string) => Client[], noticed?: (characterId: string, notification: Notification) => void): Promise<void> {
    this.stopFollowing = await this.deps.bus.subscribe('social.deliver', (event) => {
      const { delivery } = event;
      if (noticed && delivery.kind === 'notify') for (const characterId of event.characterIds) noticed(characterId, delivery.notification);
      this.forward(event, clientsOf);
    });
  }

  async stop(): Promise<void> {
    await this.stopFollowing?.();
  }

  /**
   * Records a character that just joined (or reconnected) and announces it. It counts as a
   * login when the directory held no entry for it: a portal hop, a takeover or a reconnection
   * finds the previous connection's.
   */
  async arrived(occupant: LinkedOccupant): Promise<void> {
    const { character } = occupant;
    try {
      const previous = await this.deps.online.put(this.entryOf(occupant), this.deps.onlineTtlSeconds);
      await this.deps.bus.publish('character.online', { characterId: character.id, name: character.name, area: character.area, login: previous === null });
    } catch (error) {
      this.deps.logger.warn({ err: error, characterId: character.id }, 'could not announce a character online');
    }
  }

  /**
   * Keeps the entries of characters still here from expiring (or writes them again if they
   * did), in one round trip; an entry a newer join wrote is left alone. A failure is logged
   * once: the entries outlive a few missed refreshes.
   */
  async refreshMany(occupants: readonly LinkedOccupant[]): Promise<void> {
    if (occupants.length === 0) return;
    await this.deps.online
      .refreshMany(occupants.map((occupant) => this.entryOf(occupant)), this.deps.onlineTtlSeconds)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, characters: occupants.length }, 'could not refresh online entries'));
  }

  /**
   * A character left the game from this room. Only the connection that wrote the entry may
   * remove it, so a character that already joined elsewhere stays online.
   */
  async departed(occupant: LinkedOccupant): Promise<void> {
    const { character, client } = occupant;
    try {
      if (await this.deps.online.remove(character.id, { roomId: this.roomId, sessionId: client.sessionId })) {
        await this.deps.bus.publish('character.offline', { characterId: character.id, name: character.name });
      }
    } catch (error) {
      this.deps.logger.warn({ err: error, characterId: character.id }, 'could not announce a character offline');
    }
  }

  /** A character went through a portal; its old connection leaves once the client moved. */
  handedOver(occupant: LinkedOccupant): void {
    this.handed.set(occupant.client.sessionId, occupant);
  }

  /**
   * The old connection of a portal hop left. If the client joined the new room, that room's
   * entry replaced this one and nothing happens; if it never arrived, the character is offline.
   */
  async handedOverLeft(sessionId: string): Promise<void> {
    const occupant = this.handed.get(sessionId);
    if (!occupant) return;
    this.handed.delete(sessionId);
    await this.departed(occupant);
  }

  /** Hands a party or guild line to the social API, which knows the members and sends it on. */
  async relayChat(occupant: LinkedOccupant, channel: Exclude<ChatChannel, 'area'>, text: string): Promise<void> {
    try {
      await this.deps.bus.publish('social.chat', { characterId: occupant.character.id, name: occupant.character.name, channel, text });
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not relay a group chat line');
      const refused: RoomError = { code: ErrorCode.SERVICE_UNAVAILABLE, message: `${channel} chat is not available right now.` };
      occupant.client.send(ServerMessage.error, refused);
    }
  }

  /** The directory entry of a character held by this room's connection. */
  private entryOf({ character, client }: LinkedOccupant): OnlineEntry {
    return { characterId: character.id, name: character.name, area: character.area, roomId: this.roomId, sessionId: client.sessionId, since: Date.now() };
  }

  /**
   * Sends a delivery to the connections it names that are here. A private message handed to a
   * connection is acknowledged, so that the social API marks it delivered; one whose recipient
   * is not here (gone meanwhile) stays undelivered and comes again at the next login.
   */
  private forward(event: BusEvent<'social.deliver'>, clientsOf: (characterId: string) => Client[]): void {
    const { delivery } = event;
    for (const characterId of event.characterIds) {
      // A connection waiting to reconnect (LEAVING) drops what it is sent: it is not handed
      // anything, so a message stays undelivered and comes again at the next login.
      const clients = clientsOf(characterId).filter((client) => RECEIVING.has(client.state));
      for (const client of clients) {
        if (delivery.kind === 'notify') client.send(ServerMessage.notify, delivery.notification);
        else if (delivery.kind === 'chat') client.send(ServerMessage.chat, delivery.line);
        else client.send(ServerMessage.error, delivery.error);
      }
      if (clients.length > 0 && delivery.kind === 'notify' && delivery.notification.type === 'message.received') {
        this.deps.bus
          .publish('social.delivered', { characterId, messageIds: [delivery.notification.message.id] })
          .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not acknowledge a delivered message'));
      }
    }
  }
}
