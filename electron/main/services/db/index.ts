export { openDatabase, type Db } from './openDatabase';
export { migrate, schemaVersions, type Migration } from './migrate';
