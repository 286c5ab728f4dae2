/** The command table. To add a command (run, start, stop, status): write it, list it here. */
import type { Command } from '../command';
import {
  cloneCommand,
  createCommand,
  deleteCommand,
  importCommand,
  modifyCommand,
} from './vm-commands';
import { startCommand, statusCommand, stopCommand } from './host-commands';
import { listCommand, showCommand } from './vm-view-commands';
import { runCommand } from './run-command';
import { webCommand } from './web-command';

export const COMMANDS: readonly Command[] = [
  listCommand,
  showCommand,
  createCommand,
  modifyCommand,
  cloneCommand,
  deleteCommand,
  importCommand,
  runCommand,
  startCommand,
  stopCommand,
  statusCommand,
  webCommand,
];
