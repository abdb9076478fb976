/** Kong's schemas as the fake enforces them, split by resource under ./kong-schemas/. */
export * from './kong-schemas';
