/**
 * Proxy settings for a container: HTTP(S)_PROXY / NO_PROXY passed through from the host when set,
 * in both spellings, with extra hosts (the DinD sidecar's name) appended to NO_PROXY so the agent
 * reaches its private Docker daemon directly.
 */
export function proxyEnvironment(
  env: NodeJS.ProcessEnv,
  noProxyExtra: readonly string[] = [],
): Record<string, string> {
  const pick = (upper: string): string | undefined => env[upper] || env[upper.toLowerCase()] || undefined;
  const out: Record<string, string> = {};
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY']) {
    const value = pick(name);
    if (value) {
      out[name] = value;
      out[name.toLowerCase()] = value;
    }
  }
  const hasProxy = Object.keys(out).length > 0;
  const existing = (pick('NO_PROXY') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (hasProxy || existing.length > 0) {
    const merged = [...new Set([...existing, ...noProxyExtra])].join(',');
    out.NO_PROXY = merged;
    out.no_proxy = merged;
  }
  return out;
}
