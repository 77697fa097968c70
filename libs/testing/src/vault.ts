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
}

export type StartVaultOptions =
  | { mode: 'dev' }
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
  const [port, clusterPort] = (await freePorts(2)) as [number, number];
  const address = `http://127.0.0.1:${port}`;
  const devToken = `root-${randomUUID()}`;
  const base = new GenericContainer(image)
    .withNetworkMode('host')
    .withEnvironment({ SKIP_SETCAP: 'true', BAO_DISABLE_MLOCK: 'true' })
    .withStartupTimeout(60_000);
  const container =
    options.mode === 'dev'
      ? await base
          .withCommand(['server', '-dev', `-dev-root-token-id=${devToken}`, `-dev-listen-address=127.0.0.1:${port}`])
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
    ...containerControls(container, whenReady),
  };
}

const SEALED_DIR = '/tmp/opzero-bao';

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
