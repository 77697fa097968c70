import type { Operation } from 'fast-json-patch';
import type { Pod } from './pod-types';

/** One secret the agent renders: from the `-NAME` annotation families. */
export interface SecretSpec {
  /** File name (lower-cased unless preserve-secret-case). */
  name: string;
  /** NAME as written in the annotation keys. */
  rawName: string;
  /** Vault path (`agent-inject-secret-NAME`), empty when only a template is given. */
  path: string;
  template: string;
  templateFile: string;
  /** Mount path of the volume the file lands in. */
  mountPath: string;
  command: string;
  /** `agent-inject-file-NAME`, relative to mountPath. */
  filePathAndName: string;
  filePermission: string;
  errMissingKey: boolean;
  leftDelimiter: string;
  rightDelimiter: string;
}

/** The service account token volume the agent logs in with. */
export interface ServiceAccountTokenVolume {
  name: string;
  mountPath: string;
  tokenPath: string;
}

/** Everything the pod's annotations (with the injector's defaults) ask for. */
export interface AgentSpec {
  /** The pod as admitted (not modified). */
  pod: Pod;
  /** The annotations after the injector's defaults were filled in (vault-k8s `agent.Init`). */
  annotations: Record<string, string>;
  image: string;
  /** Containers that get the secrets volume mounts. */
  containers: string[];
  initFirst: boolean;
  prePopulate: boolean;
  prePopulateOnly: boolean;
  revokeOnShutdown: boolean;
  revokeGrace: bigint;
  /** Canonical quantities by resource name (cpu, memory, ephemeral-storage). */
  limits: Record<string, string>;
  requests: Record<string, string>;
  namespace: string;
  secrets: SecretSpec[];
  serviceAccountTokenVolume: ServiceAccountTokenVolume;
  configMapName: string;
  extraSecret: string;
  copyVolumeMounts: string;
  awsIamToken: { name: string; mountPath: string } | undefined;
  jsonPatch: Operation[] | undefined;
  initJsonPatch: Operation[] | undefined;
  vault: {
    address: string;
    proxyAddress: string;
    authType: string;
    authPath: string;
    authConfig: Record<string, unknown>;
    caCert: string;
    caCertBytes: string;
    caKey: string;
    clientCert: string;
    clientKey: string;
    clientMaxRetries: string;
    clientTimeout: string;
    goMaxProcs: string;
    logLevel: string;
    logFormat: string;
    namespace: string;
    role: string;
    tlsSecret: string;
    tlsSkipVerify: boolean;
    tlsServerName: string;
    authMinBackoff: string;
    authMaxBackoff: string;
    telemetry: Record<string, unknown> | undefined;
  };
  cache: { enable: boolean; listenerPort: string; useAutoAuthToken: string };
  templateConfig: {
    exitOnRetryFailure: boolean;
    staticSecretRenderInterval: string;
    maxConnectionsPerHost: bigint;
    leaseRenewalThreshold: number;
  };
  runAsUser: bigint;
  runAsGroup: bigint;
  runAsSameId: boolean;
  /** Set when the share-process-namespace annotation is present. */
  shareProcessNamespace: boolean | undefined;
  setSecurityContext: boolean;
  defaultTemplate: 'map' | 'json';
  injectToken: boolean;
  enableQuit: boolean;
  disableIdleConnections: string[];
  disableKeepAlives: string[];
  autoAuthExitOnError: boolean;
  /** `opzero.io/restart-on-rotate`. */
  restartOnRotate: boolean;
}
