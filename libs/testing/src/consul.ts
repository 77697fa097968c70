import { existsSync, readFileSync } from 'node:fs';
import { GenericContainer, Wait } from 'testcontainers';
import { freePorts } from './ports';
import { imageFor, loadTestingEnv } from './runtime-env';
import { announce, containerControls, type RealServer } from './server';
import { waitFor } from './wait-for';

export interface ConsulServer extends RealServer {
  /** HTTP API, `http://127.0.0.1:<port>` */
  readonly address: string;
  readonly datacenter: string;
  /** The ACL management token, when started with `acl` (every other request is denied). */
  readonly token?: string;
  /** `https://127.0.0.1:<port>`, when started with `tls`. */
  readonly httpsAddress?: string;
}

/**
 * `acl`: ACLs on with `default_policy = "deny"`, and this management token.
 * `tls`: an extra HTTPS listener with this certificate (PEM), the plain one staying; with
 * `clientCa`, it requires client certificates signed by it.
 */
export interface StartConsulOptions {
  acl?: { managementToken: string };
  tls?: { cert: string; key: string; clientCa?: string };
}

const TLS_DIR = '/tmp/opzero-consul-tls';

const OFFICIAL_IMAGE = 'hashicorp/consul:1.16.3';

/**
 * Whether a Consul image can run here. Where no Docker engine exists, the image is built from
 * the Go module proxy by tools/infra; if that build failed, the reason is its log's tail.
 */
export function consulAvailability(): { available: true } | { available: false; reason: string } {
  loadTestingEnv();
  const log = process.env['OPZERO_CONSUL_BUILD_LOG'];
  if (process.env['OPZERO_CONSUL_IMAGE'] || process.env['OPZERO_CONTAINER_ENGINE'] !== 'podman' || !log) {
    return { available: true };
  }
  const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join(' | ') : 'no build log';
  return { available: false, reason: `Consul could not be built from the Go module proxy: ${tail}` };
}

/** A real single-server Consul agent in dev mode (server, in-memory, all ports on 127.0.0.1). */
export async function startConsul(options: StartConsulOptions = {}): Promise<ConsulServer> {
  loadTestingEnv();
  const availability = consulAvailability();
  if (!availability.available) throw new Error(availability.reason);
  const startedAt = Date.now();
  const image = imageFor('OPZERO_CONSUL_IMAGE', OFFICIAL_IMAGE);
  const [http, server, serfLan, serfWan, https] = (await freePorts(5)) as [number, number, number, number, number];
  const address = `http://127.0.0.1:${http}`;
  const base = new GenericContainer(image).withNetworkMode('host');
  const container = await (options.tls
    ? base.withCopyContentToContainer([
        { content: options.tls.cert, target: `${TLS_DIR}/tls.crt` },
        { content: options.tls.key, target: `${TLS_DIR}/tls.key` },
        ...(options.tls.clientCa ? [{ content: options.tls.clientCa, target: `${TLS_DIR}/client-ca.crt` }] : []),
      ])
    : base
  )
    .withCommand([
      'agent',
      '-dev',
      '-datacenter=dc1',
      '-client=127.0.0.1',
      '-bind=127.0.0.1',
      `-http-port=${http}`,
      `-server-port=${server}`,
      `-serf-lan-port=${serfLan}`,
      `-serf-wan-port=${serfWan}`,
      '-dns-port=-1',
      '-grpc-port=-1',
      '-grpc-tls-port=-1',
      ...(options.acl ? [aclConfig(options.acl.managementToken)] : []),
      ...(options.tls ? [httpsConfig(https, options.tls.clientCa !== undefined)] : []),
    ])
    .withWaitStrategy(Wait.forLogMessage(/Consul agent running!/))
    .withStartupTimeout(60_000)
    .start();
  const whenReady = async () => {
    await waitFor(`Consul leader on ${address}`, async () => {
      const leader = (await (await fetch(`${address}/v1/status/leader`)).json()) as string;
      return leader ? true : undefined;
    });
  };
  await whenReady();
  const headers: Record<string, string> = options.acl ? { 'X-Consul-Token': options.acl.managementToken } : {};
  const self = (await (await fetch(`${address}/v1/agent/self`, { headers })).json()) as { Config?: { Version?: string } };
  const description = `Consul ${self.Config?.Version ?? '?'}`;
  announce(description, image, address, startedAt);
  const token = options.acl ? { token: options.acl.managementToken } : {};
  const httpsAddress = options.tls ? { httpsAddress: `https://127.0.0.1:${https}` } : {};
  return { description, image, address, datacenter: 'dc1', ...token, ...httpsAddress, ...containerControls(container, whenReady) };
}

/** The agent flag that turns ACLs on, deny by default; the agent itself acts with the management token. */
function aclConfig(managementToken: string): string {
  const token = JSON.stringify(managementToken);
  return `-hcl=acl { enabled = true default_policy = "deny" tokens { initial_management = ${token} agent = ${token} } }`;
}

/** The agent flag for the HTTPS listener (certificate files copied into TLS_DIR). */
function httpsConfig(port: number, verifyClients: boolean): string {
  const clients = verifyClients ? ` ca_file = "${TLS_DIR}/client-ca.crt" verify_incoming = true` : '';
  return `-hcl=ports { https = ${port} } tls { https { cert_file = "${TLS_DIR}/tls.crt" key_file = "${TLS_DIR}/tls.key"${clients} } }`;
}
