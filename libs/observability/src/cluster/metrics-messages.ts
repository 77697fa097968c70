/** IPC between a worker's /metrics and the cluster primary. */
export const METRICS_REQUEST = 'opzero:metrics-request';
export const METRICS_REPLY = 'opzero:metrics-reply';

export interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}

export interface MetricsReply {
  type: typeof METRICS_REPLY;
  id: number;
  text?: string;
  error?: string;
}
