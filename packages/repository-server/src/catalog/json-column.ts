import type { z } from 'zod';
import { CatalogError } from './catalog-error.js';

/**
 * Takes a zod schema (from @vrs/protocol) and a value; returns the value as the JSON text a TEXT column holds.
 * Throws the ZodError when the value does not fit the schema: nothing invalid reaches the catalog.
 */
export function toJsonColumn<S extends z.ZodType>(schema: S, value: z.input<S>): string {
  return JSON.stringify(schema.parse(value));
}

/**
 * Takes a zod schema, a column's JSON text and the column's name (for the message); returns the parsed value.
 * Throws CatalogError INTERNAL when the text is not JSON or does not fit the schema.
 */
export function fromJsonColumn<S extends z.ZodType>(schema: S, text: string, column: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CatalogError('INTERNAL', `catalog column ${column} holds invalid JSON`, { cause });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new CatalogError('INTERNAL', `catalog column ${column} does not fit its schema: ${parsed.error.message}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
