import { defineRoute, type ApiRoute } from '@mmo/platform';
import {
  characterIdParamsSchema,
  characterSheetSchema,
  discardItemQuerySchema,
  equipItemRequestSchema,
  equipmentSlotParamsSchema,
  ErrorCode,
  inventorySlotParamsSchema,
  moveItemRequestSchema,
} from '@mmo/shared';
import { discardItem, equipItem, getCharacterSheet, moveItem, unequipItem, type InventoryDeps } from './inventory.service.js';

const tag = 'inventory';

/**
 * The character sheet and the inventory operations of one's own characters. Every operation
 * answers the sheet as it left it, so a client never needs a second read.
 */
export function inventoryRoutes(deps: InventoryDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/characters/:id', tag, access: 'player', summary: 'One of your characters with its sheet: derived stats, equipment, inventory, gold',
      params: characterIdParamsSchema, response: characterSheetSchema, errors: [ErrorCode.CHARACTER_NOT_FOUND],
      handle: ({ auth, params }) => getCharacterSheet(deps, auth.accountId, params.id),
    }),
    defineRoute({
      method: 'post', path: '/characters/:id/inventory/move', tag, access: 'player',
      summary: 'Move, split, merge or swap inventory stacks',
      params: characterIdParamsSchema, body: moveItemRequestSchema, response: characterSheetSchema,
      errors: [ErrorCode.CHARACTER_NOT_FOUND, ErrorCode.INVENTORY_SLOT_EMPTY, ErrorCode.INVALID_QUANTITY],
      handle: ({ auth, params, body }) => moveItem(deps, auth.accountId, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/characters/:id/inventory/:slot', tag, access: 'player', summary: 'Discard some or all of an inventory stack',
      params: inventorySlotParamsSchema, query: discardItemQuerySchema, response: characterSheetSchema,
      errors: [ErrorCode.CHARACTER_NOT_FOUND, ErrorCode.INVENTORY_SLOT_EMPTY, ErrorCode.INVALID_QUANTITY],
      handle: ({ auth, params, query }) => discardItem(deps, auth.accountId, params.id, params.slot, query.quantity),
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
      handle: ({ auth, params, body }) => equipItem(deps, auth.accountId, params.id, params.slot, body.from),
    }),
    defineRoute({
      method: 'delete', path: '/characters/:id/equipment/:slot', tag, access: 'player', summary: 'Take off a worn item into the first free inventory slot',
      params: equipmentSlotParamsSchema, response: characterSheetSchema,
      errors: [ErrorCode.CHARACTER_NOT_FOUND, ErrorCode.EQUIPMENT_SLOT_EMPTY, ErrorCode.INVENTORY_FULL],
      handle: ({ auth, params }) => unequipItem(deps, auth.accountId, params.id, params.slot),
    }),
  ];
}
