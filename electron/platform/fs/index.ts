export { writeFileAtomic } from './writeFileAtomic';
export { ensurePrivateDatabaseFiles, ensurePrivateDir } from './privateFiles';
