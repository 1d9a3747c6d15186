/** `path` itself or anything below `dir` (both absolute and already resolved by the caller). */
export function within(path: string, dir: string): boolean {
  const d = dir.endsWith('/') ? dir : `${dir}/`;
  return path === dir || path.startsWith(d);
}
