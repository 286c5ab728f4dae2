/** Runs a machine command on a VM and reports failures (the message from main) to the user. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { VmState } from '../../main/common/api';
import { useApi } from '../api/context';
import type { VmCommand } from '../app/shortcuts';

export function useVmCommands(o: {
  onError(message: string): void;
  onStarted(headless: boolean): void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const { onError, onStarted } = o;
  return useCallback(
    (c: VmCommand, name: string, state: VmState) => {
      const call = (): Promise<unknown> => {
        switch (c) {
          case 'startVm':
          case 'startHeadless': {
            const headless = c === 'startHeadless';
            onStarted(headless);
            return api.startVm(name, { headless });
          }
          case 'pauseVm':
            return state === 'paused' ? api.resumeVm(name) : api.pauseVm(name);
          case 'resetVm':
            return api.resetVm(name);
          case 'shutdownVm':
            return api.shutdownVm(name);
          case 'powerOffVm':
            return api.powerOffVm(name);
        }
      };
      call().catch((e: unknown) =>
        onError(t('vm.commandFailed', { message: e instanceof Error ? e.message : String(e) })),
      );
    },
    [api, t, onError, onStarted],
  );
}
