/**
 * Imported first by main.tsx: zod reads this setting when schemas are built (at import time of
 * main/common/vm-config), so it must run before any schema module. Without it zod probes
 * `new Function` to compile faster parsers; the CSP forbids eval and the probe's violation
 * report is noise in the console.
 */
import { z } from 'zod';

z.config({ jitless: true });
