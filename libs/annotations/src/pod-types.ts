/**
 * The parts of the Kubernetes core/v1 Pod the injector reads or writes. Objects keep any other
 * field they carry: the patch only adds, so unknown fields pass through untouched.
 */
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  [field: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string; apiVersion?: string }; [field: string]: unknown };
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  [field: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: VolumeMount[];
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: SecurityContext;
  [field: string]: unknown;
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: string };
  projected?: { sources?: Array<{ serviceAccountToken?: { path?: string; [field: string]: unknown } } & Record<string, unknown>> };
  [field: string]: unknown;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind: string; name: string; controller?: boolean; [field: string]: unknown }>;
    [field: string]: unknown;
  };
  spec?: {
    containers?: Container[];
    initContainers?: Container[];
    volumes?: Volume[];
    serviceAccountName?: string;
    shareProcessNamespace?: boolean;
    [field: string]: unknown;
  };
  status?: { phase?: string; [field: string]: unknown };
}
