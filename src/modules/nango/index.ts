/** The nango module's public surface: other modules import from here, never from its files. */
export { assertNangoConfigured, missingNangoSettings } from './nango-settings';
export { NangoClient } from './nango.client';
export { NangoError } from './nango.errors';
export type { NangoConnectionInfo } from './nango.types';
