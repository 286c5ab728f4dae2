/**
 * Path helpers that work on strings only (the renderer has no `path` module) and accept both
 * separators, since the host running main may be Windows.
 */

/** The folder of a picked vm.json; any other path is taken to be the folder already. */
export function folderOf(path: string): string {
  return path.replace(/[\\/]vm\.json$/i, '');
}
