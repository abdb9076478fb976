import { loadConfig } from '../config/load-config';
import { runMigrations } from './migrate';
import { waitForDatabase } from './wait-for-database';

// `npm run migration:run`: the same wait, database creation and locked migration run `npm start` does.
const config = loadConfig();
waitForDatabase(config.database, (m) => console.log(m))
  .then(() => runMigrations(config.database.url, (m) => console.log(m)))
  .then((ran) => {
    console.log(ran.length ? `${ran.length} migration(s) applied` : 'database is up to date');
    process.exit(0);
  })
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
