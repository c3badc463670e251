export { writeFileAtomic } from './writeFileAtomic';
export { ensurePrivateDatabaseFiles, ensurePrivateDir } from './privateFiles';
export { checkAllowedPath } from './allowedPath';
export { completePath } from './completePath';
