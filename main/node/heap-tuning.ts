/**
 * Imported first by the process entries that run a VM (the `glaunch` CLI, the VM process),
 * so it takes effect before the bundle's modules load and the guest boots.
 *
 * Why: V8 doubles its young generation (semi-spaces 1 → 8 MiB each) when many objects
 * survive scavenges — loading a 1 MB bundle and booting a guest trigger that in the first
 * 100 ms, and the grown semi-spaces stay resident for the life of the process. With a
 * growth factor of 1 they stay at their initial size: measured on `glaunch run` of the demo
 * OS, RSS at the shell prompt 77 → 73 MiB and after the guest touched 64 MiB 157 → 149 MiB,
 * time to the prompt unchanged (emulator/machine/README.md, "Host memory").
 * `--max-semi-space-size` cannot be changed once the heap exists; the growth factor is read
 * at every growth decision, so setting it here is early enough.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
