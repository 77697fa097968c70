/**
 * Watches one node's `sys/seal-status` back to back (one request in flight at a time, no
 * pause) and records every change with the moment the API first answered so. While OpenBao
 * seals, seal-status does not answer; that wait belongs to the server and is reported apart.
 */
export class SealMonitor {
  /** Every observed change of `sealed`, with performance.now() of the answer. */
  readonly changes: { at: number; sealed: boolean }[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly address: string) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  get sealed(): boolean | undefined {
    return this.changes.at(-1)?.sealed;
  }

  /** Waits for the first change to `sealed` at index >= `from`; returns its time and index. */
  async change(sealed: boolean, from: number, timeoutMs = 120_000): Promise<{ at: number; index: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.changes.findIndex((change, i) => i >= from && change.sealed === sealed);
      if (index >= 0) return { at: this.changes[index]!.at, index };
      if (Date.now() > deadline) throw new Error(`node never became ${sealed ? 'sealed' : 'unsealed'} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const response = await fetch(`${this.address}/v1/sys/seal-status`, { signal: AbortSignal.timeout(10_000) });
        const at = performance.now();
        const { sealed } = (await response.json()) as { sealed: boolean };
        if (this.sealed !== sealed) this.changes.push({ at, sealed });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }
}
