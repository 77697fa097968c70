/**
 * AdmissionReview `admission.k8s.io/v1`, and v1beta1 which has the same shape: the API server
 * may still send v1beta1 when the webhook lists it, and expects the answer in the same version.
 */
export const ADMISSION_VERSIONS = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
export type AdmissionVersion = (typeof ADMISSION_VERSIONS)[number];

export interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  resource?: { group?: string; version?: string; resource?: string };
  subResource?: string;
  namespace?: string;
  name?: string;
  operation?: string;
  object?: unknown;
  dryRun?: boolean;
  [field: string]: unknown;
}

export interface AdmissionReview {
  apiVersion: AdmissionVersion;
  kind: 'AdmissionReview';
  request: AdmissionRequest;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  patchType?: 'JSONPatch';
  /** base64 of the JSONPatch document. */
  patch?: string;
  status?: { code?: number; message: string };
}

export interface AdmissionReviewResponse {
  apiVersion: AdmissionVersion;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/** The body is not an AdmissionReview the webhook can answer (HTTP 400). */
export class InvalidAdmissionReview extends Error {
  override readonly name = 'InvalidAdmissionReview';
}

/** Checks that a parsed JSON body is an AdmissionReview with a request; says what is missing. */
export function parseAdmissionReview(body: unknown): AdmissionReview {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidAdmissionReview('body is not a JSON object');
  const review = body as Record<string, unknown>;
  if (review['kind'] !== 'AdmissionReview') throw new InvalidAdmissionReview(`kind is ${JSON.stringify(review['kind'])}, expected "AdmissionReview"`);
  const apiVersion = review['apiVersion'];
  if (!ADMISSION_VERSIONS.includes(apiVersion as AdmissionVersion)) {
    throw new InvalidAdmissionReview(`apiVersion is ${JSON.stringify(apiVersion)}, expected one of ${ADMISSION_VERSIONS.join(', ')}`);
  }
  const request = review['request'];
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new InvalidAdmissionReview('request is missing');
  const fields = request as Record<string, unknown>;
  const uid = fields['uid'];
  if (typeof uid !== 'string' || uid === '') throw new InvalidAdmissionReview('request.uid is missing');
  // Kubernetes sends a UUID; the pod-created contract carries it and allows up to 128 characters.
  if (uid.length > MAX_UID_LENGTH) throw new InvalidAdmissionReview(`request.uid is ${uid.length} characters long; at most ${MAX_UID_LENGTH}`);
  const problem = requestFieldsProblem(fields);
  if (problem) throw new InvalidAdmissionReview(problem);
  return { apiVersion: apiVersion as AdmissionVersion, kind: 'AdmissionReview', request: request as AdmissionRequest };
}

const MAX_UID_LENGTH = 128;

/** The request fields the webhook reads, with the types Kubernetes gives them. */
function requestFieldsProblem(request: Record<string, unknown>): string | undefined {
  for (const field of ['namespace', 'name', 'operation', 'subResource'] as const) {
    const value = request[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return `request.${field} is not a string`;
  }
  for (const field of ['kind', 'resource'] as const) {
    const value = request[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) return `request.${field} is not an object`;
    for (const [part, text] of Object.entries(value)) {
      if (text !== undefined && text !== null && typeof text !== 'string') return `request.${field}.${part} is not a string`;
    }
  }
  return undefined;
}
