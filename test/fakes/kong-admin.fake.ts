/** The fake Kong Admin API: composed from one file per resource in ./kong-admin/ (this path is what the specs import). */
export * from './kong-admin';
