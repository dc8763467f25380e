import { DataSource } from 'typeorm';
import { databaseConfigFromEnv } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

/** For the TypeORM CLI: `npm run migration:run` (built) applies the same migrations the app applies at start-up. */
export default new DataSource(dataSourceOptions(databaseConfigFromEnv()));
