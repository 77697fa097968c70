import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadTestingEnv } from '@opzero/testing';
import { HELM_DIR } from './chart-files';

const run = promisify(execFile);

/** What one helm command printed and how it ended. */
export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** helm built by tools/infra/helm/build.sh, named in testing.env by tools/infra/setup.sh. */
export function helmBinary(): string {
  loadTestingEnv();
  const binary = process.env['OPZERO_HELM_BIN'];
  const buildLog = process.env['OPZERO_HELM_BUILD_LOG'];
  if (buildLog) throw new Error(`helm was not built by tools/infra/setup.sh; its build log: ${buildLog}`);
  if (!binary) throw new Error('helm not found (OPZERO_HELM_BIN unset); run tools/infra/setup.sh or tools/infra/helm/build.sh');
  return binary;
}

/**
 * `--values <chart>/ci/values.yaml` where the chart has one: the values a user must give (the
 * app has no default for them, e.g. consul-gateway's seeds), as chart-testing's ci/ folder.
 */
export function ciValues(chartDir: string): string[] {
  const file = join(chartDir, 'ci', 'values.yaml');
  return existsSync(file) ? ['--values', file] : [];
}

/** A helm with its own config, cache and data directories, so tests never read or write the user's. */
export class Helm {
  private constructor(
    private readonly binary: string,
    readonly home: string,
  ) {}

  static create(): Helm {
    return new Helm(helmBinary(), mkdtempSync(join(tmpdir(), 'opzero-helm-')));
  }

  /** Runs helm; a non-zero exit is returned, not thrown, so tests can assert on refusals. */
  async run(args: string[], kubeconfigFile?: string): Promise<HelmResult> {
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: this.home,
      HELM_CONFIG_HOME: join(this.home, 'config'),
      HELM_CACHE_HOME: join(this.home, 'cache'),
      HELM_DATA_HOME: join(this.home, 'data'),
      ...(kubeconfigFile ? { KUBECONFIG: kubeconfigFile } : {}),
    };
    try {
      const { stdout, stderr } = await run(this.binary, args, { env, maxBuffer: 32 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number') throw error;
      return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  /** Runs helm and throws with its output when it fails. */
  async ok(args: string[], kubeconfigFile?: string): Promise<string> {
    const result = await this.run(args, kubeconfigFile);
    if (result.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  /**
   * A copy of deploy/helm with every app chart's opzero-lib dependency built into its charts/
   * folder (what `helm dependency build` does for a user), so the repository stays untouched.
   * Returns the copy's path; it lives under this helm's home.
   */
  async chartsWithDependencies(apps: readonly string[]): Promise<string> {
    const dir = join(this.home, 'charts');
    cpSync(HELM_DIR, dir, { recursive: true });
    for (const app of apps) {
      rmSync(join(dir, app, 'charts'), { recursive: true, force: true });
      await this.ok(['dependency', 'build', join(dir, app)]);
    }
    return dir;
  }

  /** Removes the helm home (and the chart copy in it). */
  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
