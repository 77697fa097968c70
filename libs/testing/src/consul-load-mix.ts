import { Agent, request } from 'node:http';

/** Tallies of a steady client mix against one Consul address. */
export interface MixReport {
  reads: number;
  failedReads: string[];
  catalogReads: number;
  failedCatalogReads: string[];
  /** Longest time between two successful KV reads, and when it started. */
  longestReadGapMs: number;
  plainWrites: { key: string; acknowledged: boolean; error?: string }[];
  casWrites: { acknowledged: number; conflicts: number; failed: string[] };
  blocking: { returned: number; failed: string[] };
}

/** What a mix left in Consul: plain writes applied more than once, and acknowledged ones missing. */
export interface MixAudit {
  appliedTwice: string[];
  lost: string[];
  notAcknowledged: string[];
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request over a keep-alive agent; rejects on a connection error. */
export function consulCall(base: string, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const describe = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * A steady client mix against `base` (a Consul server, the gateway, HAProxy) until `stop`
 * resolves: KV reads (8 loops, 20 ms apart), a catalog read loop, a plain PUT every 100 ms to
 * a fresh key, a check-and-set counter writer, and three blocking queries on a key that a
 * writer bumps every 500 ms. Keys live under `prefix`, so several mixes can share a cluster.
 */
export async function runConsulLoadMix(base: string, stop: Promise<void>, prefix = 'mix'): Promise<MixReport> {
  let running = true;
  void stop.then(() => (running = false));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const report: MixReport = {
    reads: 0,
    failedReads: [],
    catalogReads: 0,
    failedCatalogReads: [],
    longestReadGapMs: 0,
    plainWrites: [],
    casWrites: { acknowledged: 0, conflicts: 0, failed: [] },
    blocking: { returned: 0, failed: [] },
  };
  await consulCall(base, 'PUT', `/v1/kv/${prefix}/read`, 'steady');
  let lastRead = Date.now();
  const reader = async () => {
    while (running) {
      try {
        const answer = await consulCall(base, 'GET', `/v1/kv/${prefix}/read?raw`);
        if (answer.status === 200 && answer.body === 'steady') {
          report.reads++;
          const now = Date.now();
          report.longestReadGapMs = Math.max(report.longestReadGapMs, now - lastRead);
          lastRead = now;
        } else report.failedReads.push(`HTTP ${answer.status} ${answer.body.slice(0, 80)}`);
      } catch (error) {
        report.failedReads.push(describe(error));
      }
      await sleep(20);
    }
  };
  const catalogReader = async () => {
    while (running) {
      try {
        const answer = await consulCall(base, 'GET', '/v1/catalog/service/consul');
        if (answer.status === 200) report.catalogReads++;
        else report.failedCatalogReads.push(`HTTP ${answer.status}`);
      } catch (error) {
        report.failedCatalogReads.push(describe(error));
      }
      await sleep(50);
    }
  };
  const plainWriter = async () => {
    for (let seq = 0; running; seq++) {
      const key = `${prefix}/plain/${seq}`;
      try {
        const answer = await consulCall(base, 'PUT', `/v1/kv/${key}`, `v${seq}`);
        report.plainWrites.push({ key, acknowledged: answer.status === 200 && answer.body.trim() === 'true', ...(answer.status === 200 ? {} : { error: `HTTP ${answer.status}` }) });
      } catch (error) {
        report.plainWrites.push({ key, acknowledged: false, error: describe(error) });
      }
      await sleep(100);
    }
  };
  const casWriter = async () => {
    await consulCall(base, 'PUT', `/v1/kv/${prefix}/cas`, '0');
    for (let seq = 1; running; seq++) {
      try {
        const current = JSON.parse((await consulCall(base, 'GET', `/v1/kv/${prefix}/cas`)).body) as { ModifyIndex: number }[];
        const answer = await consulCall(base, 'PUT', `/v1/kv/${prefix}/cas?cas=${current[0]?.ModifyIndex ?? 0}`, String(seq));
        if (answer.status === 200 && answer.body.trim() === 'true') report.casWrites.acknowledged++;
        else if (answer.status === 200) {
          // A cas write answered false may have been applied by an earlier attempt: check.
          const now = await consulCall(base, 'GET', `/v1/kv/${prefix}/cas?raw`);
          if (now.body === String(seq)) report.casWrites.acknowledged++;
          else report.casWrites.conflicts++;
        } else report.casWrites.failed.push(`HTTP ${answer.status}`);
      } catch (error) {
        report.casWrites.failed.push(describe(error));
      }
      await sleep(100);
    }
  };
  const bumper = async () => {
    for (let seq = 0; running; seq++) {
      await consulCall(base, 'PUT', `/v1/kv/${prefix}/watched`, String(seq)).catch(() => undefined);
      await sleep(500);
    }
  };
  const blocker = async () => {
    let index = 1;
    while (running) {
      try {
        const answer = await consulCall(base, 'GET', `/v1/kv/${prefix}/watched?index=${index}&wait=5s`);
        if (answer.status === 200 || answer.status === 404) {
          report.blocking.returned++;
          index = Number(answer.headers['x-consul-index'] ?? index);
        } else report.blocking.failed.push(`HTTP ${answer.status}`);
      } catch (error) {
        report.blocking.failed.push(describe(error));
      }
    }
  };
  await Promise.all([reader(), reader(), reader(), reader(), reader(), reader(), reader(), reader(), catalogReader(), plainWriter(), casWriter(), bumper(), blocker(), blocker(), blocker()]);
  return report;
}

/** Checks what a mix wrote: every plain key was PUT once, so a second apply moves ModifyIndex past CreateIndex. */
export async function auditConsulLoadMix(base: string, report: MixReport, prefix = 'mix'): Promise<MixAudit> {
  const answer = await consulCall(base, 'GET', `/v1/kv/${prefix}/plain/?recurse`);
  const written = answer.status === 200 ? (JSON.parse(answer.body) as { Key: string; CreateIndex: number; ModifyIndex: number }[]) : [];
  const byKey = new Map(written.map((entry) => [entry.Key, entry]));
  return {
    appliedTwice: written.filter((entry) => entry.ModifyIndex !== entry.CreateIndex).map((entry) => entry.Key),
    lost: report.plainWrites.filter((write) => write.acknowledged && !byKey.has(write.key)).map((write) => write.key),
    notAcknowledged: report.plainWrites.filter((write) => !write.acknowledged).map((write) => `${write.key}: ${write.error ?? 'false'}`),
  };
}
