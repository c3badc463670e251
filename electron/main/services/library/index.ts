export { LibraryStore } from './LibraryStore';
