import {
  characterListSchema,
  characterSchema,
  characterSheetSchema,
  enterWorldResponseSchema,
  publicLeaderboardSchema,
  type Character,
  type CharacterClass,
  type CharacterSheet,
  type EnterWorldResponse,
  type EquipmentSlot,
  type Leaderboard,
  type PublicLeaderboard,
} from '@mmo/shared';
import type { ApiClient } from './api.client.js';

/** The player API (characters, sheets, inventories, leaderboards) and the primary's enter world. */
export class PlayerApi {
  constructor(private readonly api: ApiClient) {}

  async characters(): Promise<Character[]> {
    return (await this.api.request('/characters', characterListSchema)).characters;
  }

  createCharacter(name: string, characterClass: CharacterClass): Promise<Character> {
    return this.api.request('/characters', characterSchema, { method: 'POST', body: { name, class: characterClass } });
  }

  deleteCharacter(id: string): Promise<void> {
    return this.api.call(`/characters/${id}`, { method: 'DELETE' });
  }

  sheet(id: string): Promise<CharacterSheet> {
    return this.api.request(`/characters/${id}`, characterSheetSchema);
  }

  moveItem(id: string, from: number, to: number, quantity?: number): Promise<CharacterSheet> {
    return this.api.request(`/characters/${id}/inventory/move`, characterSheetSchema, {
      method: 'POST',
      body: quantity === undefined ? { from, to } : { from, to, quantity },
    });
  }

  discardItem(id: string, slot: number, quantity?: number): Promise<CharacterSheet> {
    const query = quantity === undefined ? '' : `?quantity=${quantity}`;
    return this.api.request(`/characters/${id}/inventory/${slot}${query}`, characterSheetSchema, { method: 'DELETE' });
  }

  equip(id: string, slot: EquipmentSlot, from: number): Promise<CharacterSheet> {
    return this.api.request(`/characters/${id}/equipment/${slot}`, characterSheetSchema, { method: 'POST', body: { from } });
  }

  unequip(id: string, slot: EquipmentSlot): Promise<CharacterSheet> {
    return this.api.request(`/characters/${id}/equipment/${slot}`, characterSheetSchema, { method: 'DELETE' });
  }

  enterWorld(characterId: string): Promise<EnterWorldResponse> {
    return this.api.request('/world/enter', enterWorldResponseSchema, { method: 'POST', body: { characterId } });
  }

  leaderboard(board: Leaderboard, limit = 10, characterClass?: CharacterClass): Promise<PublicLeaderboard> {
    const query = characterClass ? `&class=${characterClass}` : '';
    return this.api.request(`/public/leaderboards/${board}?limit=${limit}${query}`, publicLeaderboardSchema, { auth: false });
  }
}

