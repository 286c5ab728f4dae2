import type { Messages } from './en';
import { en } from './en';
// Placeholder replaced below.
export const ru: Messages = en;
