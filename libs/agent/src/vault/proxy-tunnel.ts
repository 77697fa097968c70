import { request as httpRequest } from 'node:http';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** The HTTPS_PROXY URL for a Vault address, honouring NO_PROXY as Go's ProxyFromEnvironment does. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): URL | undefined {
  if (target.protocol !== 'https:') return undefined;
  const proxy = env['HTTPS_PROXY'] ?? env['https_proxy'];
  if (!proxy) return undefined;
  const noProxy = (env['NO_PROXY'] ?? env['no_proxy'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const host = target.hostname;
  if (noProxy.some((entry) => entry === '*' || host === entry.replace(/^\./, '') || host.endsWith(entry.startsWith('.') ? entry : `.${entry}`))) return undefined;
  return new URL(/^[a-z]+:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
}

/** Opens a TLS connection to the target through an HTTP CONNECT tunnel. */
export function tunnelConnect(proxy: URL, options: ConnectionOptions & { host: string; port: number }, done: (error: Error | null, socket?: TLSSocket) => void): void {
  const auth = proxy.username ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` } : {};
  const req = httpRequest({ host: proxy.hostname, port: Number(proxy.port || 80), method: 'CONNECT', path: `${options.host}:${options.port}`, headers: { Host: `${options.host}:${options.port}`, ...auth } });
  req.once('connect', (res, socket) => {
    if (res.statusCode !== 200) {
      socket.destroy();
      done(new Error(`proxy CONNECT answered HTTP ${res.statusCode}`));
      return;
    }
    const tls = tlsConnect({ ...options, socket });
    tls.once('secureConnect', () => done(null, tls));
    tls.once('error', (error) => done(error));
  });
  req.once('error', (error) => done(error));
  req.end();
}
