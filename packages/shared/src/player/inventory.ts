import { z } from 'zod';
import { EQUIPMENT_SLOTS, INVENTORY_CAPACITY } from './items.js';

/** An inventory slot number in a body: 0 to `INVENTORY_CAPACITY - 1`. */
export const inventorySlotIndexSchema = z.number().int().min(0).max(INVENTORY_CAPACITY - 1);

/**
 * How many items an operation takes. Only its shape is checked here: a count that is not
 * positive, or more than the stack holds, is the domain's `INVALID_QUANTITY`.
 */
const quantitySchema = z.number().int();

/**
 * `POST /characters/:id/inventory/move`: moves the stack in `from` (or `quantity` of it) to
 * `to`: into an empty slot, onto a stack of the same item up to its stack limit, or swapping
 * places with a different item (whole stacks only).
 */
export const moveItemRequestSchema = z
  .object({ from: inventorySlotIndexSchema, to: inventorySlotIndexSchema, quantity: quantitySchema.optional() })
  .refine((body) => body.from !== body.to, { message: 'must differ from from', path: ['to'] });
export type MoveItemRequest = z.infer<typeof moveItemRequestSchema>;

/** `POST /characters/:id/equipment/:slot`: wears the item of inventory slot `from`. */
export const equipItemRequestSchema = z.object({ from: inventorySlotIndexSchema });
export type EquipItemRequest = z.infer<typeof equipItemRequestSchema>;

/** Path of the equipment routes: the character and an equipment slot (`weapon`, `head`...). */
export const equipmentSlotParamsSchema = z.object({ id: z.uuid(), slot: z.enum(EQUIPMENT_SLOTS) });

/** Path of `DELETE /characters/:id/inventory/:slot`; the slot number arrives as text. */
export const inventorySlotParamsSchema = z.object({ id: z.uuid(), slot: z.coerce.number().int().min(0).max(INVENTORY_CAPACITY - 1) });

/** Query of `DELETE /characters/:id/inventory/:slot`: how many to discard, the whole stack when absent. */
export const discardItemQuerySchema = z.object({ quantity: z.coerce.number().int().optional() });
export type DiscardItemQuery = z.infer<typeof discardItemQuerySchema>;

/** `PATCH /characters/:id`: the player hides the character from public pages, or shows it again. */
export const updateCharacterRequestSchema = z.object({ hidden: z.boolean() });
export type UpdateCharacterRequest = z.infer<typeof updateCharacterRequestSchema>;

/** The answer of `PATCH /characters/:id`. */
export const characterVisibilitySchema = z.object({ id: z.uuid(), hidden: z.boolean() });
export type CharacterVisibility = z.infer<typeof characterVisibilitySchema>;
