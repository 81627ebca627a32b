import { defineRoute, type ApiRoute, type EventBus, type Logger } from '@mmo/platform';
import type { Request } from 'express';
import {
  characterIdParamsSchema,
  characterSheetSchema,
  discardItemQuerySchema,
  equipItemRequestSchema,
  equipmentSlotParamsSchema,
  ErrorCode,
  inventorySlotParamsSchema,
  moveItemRequestSchema,
  type CharacterSheet,
} from '@mmo/shared';
import { discardItem, equipItem, getCharacterSheet, moveItem, unequipItem, type InventoryDeps } from './inventory.service.js';

const tag = 'inventory';

/**
 * The character sheet and the inventory operations of one's own characters. Every operation
 * answers the sheet as it left it, so a client never needs a second read.
 */
/** The inventory routes also announce equipment changes to the game rooms. */
export interface InventoryRouteDeps extends InventoryDeps {
  bus: EventBus;
  logger: Logger;
}

/**
 * Tells the game rooms what the character now wears. A failure is logged and never fails the
 * change: the room then keeps the old attributes until the character's next join.
 */
async function announceEquipment(deps: InventoryRouteDeps, characterId: string, sheet: CharacterSheet): Promise<CharacterSheet> {
  const equipped = Object.values(sheet.equipment).flatMap((item) => (item ? [item.id] : []));
  await deps.bus
    .publish('character.equipment_changed', { characterId, equipped })
    .catch((error: unknown) => deps.logger.warn({ err: error, characterId }, 'could not announce an equipment change'));
  return sheet;
}

/** Whether the client of `req` has gone: its change, still waiting for its turn, is then dropped. */
const gone = (req: Request) => () => req.socket.destroyed;

export function inventoryRoutes(deps: InventoryRouteDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/characters/:id', tag, access: 'player', summary: 'One of your characters with its sheet: derived stats, equipment, inventory, gold',
      params: characterIdParamsSchema, response: characterSheetSchema, errors: [ErrorCode.CHARACTER_NOT_FOUND],
      handle: ({ auth, params, req }) => getCharacterSheet(deps, auth.accountId, params.id, gone(req)),
    }),
    defineRoute({
      method: 'post', path: '/characters/:id/inventory/move', tag, access: 'player',
      summary: 'Move, split, merge or swap inventory stacks',
      params: characterIdParamsSchema, body: moveItemRequestSchema, response: characterSheetSchema,
      errors: [ErrorCode.CHARACTER_NOT_FOUND, ErrorCode.INVENTORY_SLOT_EMPTY, ErrorCode.INVALID_QUANTITY],
      handle: ({ auth, params, body, req }) => moveItem(deps, auth.accountId, params.id, body, gone(req)),
    }),
    defineRoute({
      method: 'delete', path: '/characters/:id/inventory/:slot', tag, access: 'player', summary: 'Discard some or all of an inventory stack',
      params: inventorySlotParamsSchema, query: discardItemQuerySchema, response: characterSheetSchema,
      errors: [ErrorCode.CHARACTER_NOT_FOUND, ErrorCode.INVENTORY_SLOT_EMPTY, ErrorCode.INVALID_QUANTITY],
      handle: ({ auth, params, query, req }) => discardItem(deps, auth.accountId, params.id, params.slot, query.quantity, gone(req)),
    }),
    defineRoute({
      method: 'post', path: '/characters/:id/equipment/:slot', tag, access: 'player', summary: 'Wear an item from the inventory; what was worn takes its place',
      params: equipmentSlotParamsSchema, body: equipItemRequestSchema, response: characterSheetSchema,
      errors: [
        ErrorCode.CHARACTER_NOT_FOUND,
        ErrorCode.INVENTORY_SLOT_EMPTY,
        ErrorCode.ITEM_NOT_EQUIPPABLE,
        ErrorCode.ITEM_REQUIREMENTS_NOT_MET,
        ErrorCode.INVENTORY_FULL,
      ],
      handle: async ({ auth, params, body, req }) => announceEquipment(deps, params.id, await equipItem(deps, auth.accountId, params.id, params.slot, body.from, gone(req))),
    }),
    defineRoute({
      method: 'delete', path: '/characters/:id/equipment/:slot', tag, access: 'player', summary: 'Take off a worn item into the first free inventory slot',
      params: equipmentSlotParamsSchema, response: characterSheetSchema,
      errors: [ErrorCode.CHARACTER_NOT_FOUND, ErrorCode.EQUIPMENT_SLOT_EMPTY, ErrorCode.INVENTORY_FULL],
      handle: async ({ auth, params, req }) => announceEquipment(deps, params.id, await unequipItem(deps, auth.accountId, params.id, params.slot, gone(req))),
    }),
  ];
}
