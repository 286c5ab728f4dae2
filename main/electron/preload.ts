/**
 * Preload (sandboxed, bundled to CommonJS): exposes exactly one object, `window.glaunch`, that
 * implements GlaunchApi over IPC. Imports only electron and main/common.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcApi } from '../common/ipc-client';

contextBridge.exposeInMainWorld('glaunch', createIpcApi(ipcRenderer));
