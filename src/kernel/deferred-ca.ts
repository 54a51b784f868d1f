/**
 * The environment the `jackin` launcher (bin/jackin) starts node with, for jackin processes started
 * by jackin itself: NODE_EXTRA_CA_CERTS handed over as JACKIN_DEFERRED_CA_CERTS, so that node does
 * not parse the file before any script runs (~35 ms on Node 20). bin/jackin.js puts it back, and
 * the GitHub client trusts the file on its own connections (ADR 0031).
 */
export function deferExtraCaCerts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return env;
  const { NODE_EXTRA_CA_CERTS: _loadedAtStart, ...rest } = env;
  return { ...rest, JACKIN_DEFERRED_CA_CERTS: file };
}
