// The app version, from package.json (esbuild inlines it into the bundles).
import pkg from '../../package.json';

export const APP_VERSION: string = pkg.version;
