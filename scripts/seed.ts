/**
 * `npm run seed`: a demo tenant to click through Swagger UI right after `npm start`.
 * Uses the same settings as the service (DATABASE_URL, REDIS_URL, ENCRYPTION_KEY, ...), runs
 * migrations like `npm start` does, and goes through the app's services (no raw SQL).
 * Prints the demo password once, when the account is created.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { ConfigError, loadConfig } from '../src/core/config/load-config';
import { runMigrations } from '../src/core/database/migrate';
import { waitForDatabase } from '../src/core/database/wait-for-database';
import { findExamplesDir, seedDemo } from './seed-demo';

async function main(): Promise<void> {
  let config;
  try {
    // api role: the seed must never start workers that would take queued jobs.
    config = loadConfig({ ...process.env, ROLE: 'api' });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Seed cannot start. ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  for (const w of config.warnings) process.stderr.write(`warning: ${w}\n`);
  await waitForDatabase(config.database, (m) => process.stderr.write(`${m}\n`));
  if (config.database.runMigrations) await runMigrations(config.database.url);

  // App logs go to stderr so stdout carries only the seed's own report.
  const app = await NestFactory.createApplicationContext(AppModule.register(config, { logDestination: process.stderr }), {
    logger: ['error', 'warn'],
  });
  try {
    const r = await seedDemo(app);
    const out = (line = '') => process.stdout.write(`${line}\n`);
    out(`Demo tenant: ${r.email} (tenant ${r.tenantId})`);
    if (r.password) {
      out(`Password: ${r.password}`);
      out('This password is shown once; it is stored only as a hash.');
    } else {
      out('The account already existed: its password was printed when it was created.');
    }
    out(`Credentials created: ${r.createdCredentials.length ? r.createdCredentials.join(', ') : 'none (all present)'}`);
    const examplesDir = findExamplesDir();
    if (!examplesDir) out('Workflows created: none (no examples/ folder next to the checkout or the build)');
    else out(`Workflows created: ${r.createdWorkflows.length ? r.createdWorkflows.join(', ') : 'none (all present)'}`);
    for (const s of r.skippedWorkflows) out(`Skipped "${s.name}": ${s.reason}`);
    out('Credentials hold placeholder values: replace them (PUT /api/credentials/:id) to run the workflows for real.');
    out(`Sign in: POST /api/auth/login { "email": "${r.email}", "password": "..." }, then "Authorize" in Swagger UI at /docs.`);
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  process.stderr.write(`Seed failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
