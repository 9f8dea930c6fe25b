/** The `profile *` commands, listed together in commands/index.ts. */
export { profileCheckCommand } from './profile-check';
export { profileImportCommand } from './profile-import';
export { profileListCommand } from './profile-list';
export { profileRemoveCommand } from './profile-remove';
