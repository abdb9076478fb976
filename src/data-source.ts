import { DataSource } from 'typeorm';
import { loadConfig } from './core/config/load-config';
import { dataSourceOptions } from './core/database/data-source';

/**
 * For the TypeORM CLI only (`npm run migration:generate -- migrations/Name`): the app itself
 * registers entities per feature module. Every entity file matches the glob below.
 */
export default new DataSource(dataSourceOptions(loadConfig().database.url, 2, [__dirname + '/modules/**/entities/*.entity.{ts,js}']));
