/**
 * The parts of Kong 3.x's entity and plugin schemas the fake Kong enforces, so a test fails
 * when Flowgate sends something real Kong would reject: unknown fields, missing required
 * fields, wrong types, bad enum values and the plugins' own entity checks. Errors come back
 * nested like Kong's `fields` (`{ config: { second: "expected a number" } }`).
 */

export * from './field-spec';
export * from './entities';
export * from './plugins';
