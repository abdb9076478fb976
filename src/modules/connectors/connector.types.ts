/**
 * Kept so existing imports of this path compile (SOAP provider, scrubbers, specs); the contract
 * itself is `./contract` (new code imports from there).
 */
export * from './contract';
