/** Marks a switch exhaustive: a union member left unhandled fails to compile here. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
