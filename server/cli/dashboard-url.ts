/** Where `o1c serve` shows an experiment: $O1C_DASHBOARD_URL (a server elsewhere), else this machine on $PORT or 3000. */
export function experimentUrl(experimentId: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.O1C_DASHBOARD_URL?.replace(/\/+$/, "") || `http://127.0.0.1:${env.PORT || 3000}`;
  return `${base}/experiments/${encodeURIComponent(experimentId)}`;
}
