// Runs in every test worker before the test file: quiet, deterministic defaults.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
