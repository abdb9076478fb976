import { loadConfig } from '../config/load-config';
import { runMigrations } from './migrate';

// `npm run migration:run`: the same locked migration run `npm start` does.
runMigrations(loadConfig().database.url, (m) => console.log(m))
  .then((ran) => {
    console.log(ran.length ? `${ran.length} migration(s) applied` : 'database is up to date');
    process.exit(0);
  })
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
