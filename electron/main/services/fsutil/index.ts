export { writeFileAtomic } from './writeFileAtomic';
