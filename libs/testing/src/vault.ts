import { GenericContainer, Wait } from 'testcontainers';
import { randomUUID } from 'node:crypto';
import { freePorts } from './ports';
import { imageFor, loadTestingEnv } from './runtime-env';
import { announce, containerControls, type RealServer } from './server';
import { waitFor } from './wait-for';

export interface VaultInit {
  /** Unseal keys, hex. */
  keys: string[];
  keysBase64: string[];
  rootToken: string;
}

export interface VaultServer extends RealServer {
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  readonly mode: 'dev' | 'sealed';
  /** Root token: the dev root token, or the one from initialisation (empty if not initialised). */
  readonly token: string;
  /** Set when a `sealed`-mode server was initialised by startVault. */
  readonly init?: VaultInit;
  /**
   * `sealed` mode: appends `extraHcl` (e.g. a `seal "transit"` stanza) to the server's config
   * file, taking effect at the next restart(): how a seal migration is started.
   */
  appendConfig?(extraHcl: string): Promise<void>;
  /** `https://127.0.0.1:<port>`: the extra TLS listener of a dev server started with `tls`. */
  readonly tlsAddress?: string;
}

/** An extra HTTPS listener for a dev server (PEM); with `clientCa`, client certificates are required. */
export interface VaultTlsListener {
  cert: string;
  key: string;
  clientCa?: string;
}

export type StartVaultOptions =
  | { mode: 'dev'; tls?: VaultTlsListener }
  | {
      mode: 'sealed';
      /** Initialise with these Shamir parameters (the server stays sealed); omit for an uninitialised server. */
      initialize?: { shares: number; threshold: number };
    };

const OFFICIAL_IMAGE = 'openbao/openbao:2.4.1';

/**
 * A real OpenBao server (Vault's open-source fork, same HTTP API) on 127.0.0.1.
 * `dev`: in-memory, unsealed, KV v2 at `secret/`, root token returned.
 * `sealed`: a production-style server with file storage that survives restart(); it starts
 * uninitialised or initialised-and-sealed, and comes back sealed after every restart.
 */
export async function startVault(options: StartVaultOptions): Promise<VaultServer> {
  loadTestingEnv();
  const startedAt = Date.now();
  const image = imageFor('OPZERO_VAULT_IMAGE', OFFICIAL_IMAGE);
  const [port, clusterPort, tlsPort] = (await freePorts(3)) as [number, number, number];
  const tls = options.mode === 'dev' ? options.tls : undefined;
  const address = `http://127.0.0.1:${port}`;
  const devToken = `root-${randomUUID()}`;
  const base = new GenericContainer(image)
    .withNetworkMode('host')
    .withEnvironment({ SKIP_SETCAP: 'true', BAO_DISABLE_MLOCK: 'true' })
    .withStartupTimeout(60_000);
  const container =
    options.mode === 'dev'
      ? await (tls ? base.withCopyContentToContainer(tlsListenerFiles(tls, tlsPort)) : base)
          .withCommand(['server', '-dev', `-dev-root-token-id=${devToken}`, `-dev-listen-address=127.0.0.1:${port}`, ...(tls ? [`-config=${TLS_DIR}/listener.hcl`] : [])])
          .withWaitStrategy(Wait.forLogMessage(/Development mode should NOT be used|Root Token:/))
          .start()
      : await base
          .withCopyContentToContainer([{ content: sealedConfig(port, clusterPort), target: `${SEALED_DIR}/bao.hcl` }])
          // Raft wants its directory to exist; the same shell line works on the official image.
          .withEntrypoint(['/bin/sh', '-c'])
          .withCommand([`mkdir -p ${SEALED_DIR}/data && exec bao server -config=${SEALED_DIR}/bao.hcl`])
          .withWaitStrategy(Wait.forLogMessage(/server started/i))
          .start();

  const whenReady = async () => {
    await waitFor(`OpenBao on ${address}`, async () => {
      const response = await fetch(`${address}/v1/sys/seal-status`);
      return response.ok ? true : undefined;
    });
  };
  await whenReady();
  const status = (await (await fetch(`${address}/v1/sys/seal-status`)).json()) as { version?: string };
  const init =
    options.mode === 'sealed' && options.initialize ? await initialize(address, options.initialize) : undefined;
  const description = `OpenBao v${status.version ?? '?'} (${options.mode})`;
  announce(description, image, address, startedAt);
  return {
    description,
    image,
    address,
    mode: options.mode,
    token: options.mode === 'dev' ? devToken : (init?.rootToken ?? ''),
    ...(init ? { init } : {}),
    ...(tls ? { tlsAddress: `https://127.0.0.1:${tlsPort}` } : {}),
    ...containerControls(container, whenReady),
    ...(options.mode === 'sealed'
      ? {
          appendConfig: (extraHcl: string) =>
            container.copyContentToContainer([{ content: `${sealedConfig(port, clusterPort)}\n${extraHcl}`, target: `${SEALED_DIR}/bao.hcl` }]),
        }
      : {}),
  };
}

const SEALED_DIR = '/tmp/opzero-bao';
const TLS_DIR = '/tmp/opzero-bao-tls';

/** A second listener beside the dev one (bao merges -config into -dev), serving HTTPS. */
function tlsListenerFiles(tls: VaultTlsListener, port: number): { content: string; target: string }[] {
  const clientAuth = tls.clientCa
    ? `\n  tls_require_and_verify_client_cert = true\n  tls_client_ca_file = "${TLS_DIR}/client-ca.crt"`
    : '';
  const listener = `listener "tcp" {\n  address = "127.0.0.1:${port}"\n  tls_cert_file = "${TLS_DIR}/tls.crt"\n  tls_key_file = "${TLS_DIR}/tls.key"${clientAuth}\n}\n`;
  return [
    { content: listener, target: `${TLS_DIR}/listener.hcl` },
    { content: tls.cert, target: `${TLS_DIR}/tls.crt` },
    { content: tls.key, target: `${TLS_DIR}/tls.key` },
    ...(tls.clientCa ? [{ content: tls.clientCa, target: `${TLS_DIR}/client-ca.crt` }] : []),
  ];
}

/** Integrated (raft) storage: OpenBao has no file backend, and raft is what production runs. */
function sealedConfig(port: number, clusterPort: number): string {
  return `storage "raft" {
  path    = "${SEALED_DIR}/data"
  node_id = "opzero-test"
}
listener "tcp" {
  address         = "127.0.0.1:${port}"
  cluster_address = "127.0.0.1:${clusterPort}"
  tls_disable     = true
}
api_addr     = "http://127.0.0.1:${port}"
cluster_addr = "http://127.0.0.1:${clusterPort}"
`;
}

async function initialize(address: string, params: { shares: number; threshold: number }): Promise<VaultInit> {
  const response = await fetch(`${address}/v1/sys/init`, {
    method: 'PUT',
    body: JSON.stringify({ secret_shares: params.shares, secret_threshold: params.threshold }),
  });
  if (!response.ok) throw new Error(`sys/init failed: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { keys: string[]; keys_base64: string[]; root_token: string };
  return { keys: body.keys, keysBase64: body.keys_base64, rootToken: body.root_token };
}
