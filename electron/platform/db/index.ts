export { openDatabase, type Db } from './openDatabase';
export { migrate, schemaVersions, onBeforeMigration, NewerSchemaError, type Migration, type BeforeMigration } from './migrate';
