/**
 * What the injector itself is configured with: the defaults a pod's annotations override.
 * vault-k8s takes the same values from its flags (`subcommand/injector/flags.go`).
 */
export interface InjectorSettings {
  /** Agent image (vault-k8s: `-vault-image`). */
  agentImage: string;
  /** Vault address written into the agent config (`-vault-address`). */
  vaultAddress: string;
  /** PEM CA bundle the agent trusts for Vault (`-vault-cacert-bytes`), optional. */
  vaultCaCertBytes: string;
  authType: string;
  authPath: string;
  vaultNamespace: string;
  proxyAddress: string;
  revokeOnShutdown: boolean;
  runAsUser: string;
  runAsGroup: string;
  runAsSameUser: boolean;
  setSecurityContext: boolean;
  defaultTemplate: 'map' | 'json';
  requestsCpu: string;
  requestsMem: string;
  requestsEphemeral: string;
  limitsCpu: string;
  limitsMem: string;
  limitsEphemeral: string;
  exitOnRetryFailure: boolean;
  staticSecretRenderInterval: string;
  maxConnectionsPerHost: number;
  authMinBackoff: string;
  authMaxBackoff: string;
  disableIdleConnections: string;
  disableKeepAlives: string;
  /** How the agent container is started; the config travels in VAULT_CONFIG either way. */
  agentCommand: string[];
  /**
   * The agent-renderer's rotation service, given to sidecars as OPZERO_ROTATION_ADDRESS so they
   * re-render as soon as a secret rotates; '' leaves them on their own interval re-reads.
   */
  rotationAddress: string;
}

/** The defaults of vault-k8s v1.7.6 (`agent.Default*`), with opzero's agent image. */
export const defaultInjectorSettings: InjectorSettings = {
  agentImage: 'opzero/agent-renderer:0.1.0',
  vaultAddress: 'https://vault.vault.svc:8200',
  vaultCaCertBytes: '',
  authType: 'kubernetes',
  authPath: 'auth/kubernetes',
  vaultNamespace: '',
  proxyAddress: '',
  revokeOnShutdown: false,
  runAsUser: '100',
  runAsGroup: '1000',
  runAsSameUser: false,
  setSecurityContext: true,
  defaultTemplate: 'map',
  requestsCpu: '250m',
  requestsMem: '64Mi',
  requestsEphemeral: '',
  limitsCpu: '500m',
  limitsMem: '128Mi',
  limitsEphemeral: '',
  exitOnRetryFailure: true,
  staticSecretRenderInterval: '',
  maxConnectionsPerHost: 0,
  authMinBackoff: '',
  authMaxBackoff: '',
  disableIdleConnections: '',
  disableKeepAlives: '',
  // The agent bundle (apps/agent-renderer/agent-bundle.mjs) in the agent image: a plain Node program.
  agentCommand: ['node', '/opt/opzero/agent.js'],
  rotationAddress: '',
};
