// The VM Config list page in a real headless chromium (Debian's package, driven by
// playwright-core), served by the app over facts that went Consul → watch → PostgreSQL.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ConsulClient } from '@opzero/consul';
import { consulAvailability, startConsul, startKafka, startPostgres, waitFor, type AppProcess, type ConsulServer, type KafkaServer, type PostgresServer } from '@opzero/testing';
import { PAGE_CSP, writeFacts } from '@opzero/vm-config';
import { startCollectorService } from '../test/start-collector-service';

const CHROMIUM = process.env['OPZERO_CHROMIUM'] ?? '/usr/bin/chromium';
const availability = consulAvailability();
const runnable = availability.available && existsSync(CHROMIUM);
const describeBrowser = runnable ? describe : describe.skip;
if (!runnable) process.stderr.write(`[page tests skipped] ${availability.available ? `no chromium at ${CHROMIUM} (tools/infra/setup.sh installs it)` : availability.reason}\n`);

/** Where the test leaves a screenshot of each view (the README's come from here). */
const SCREENSHOTS = process.env['OPZERO_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'vm-config-page-screenshots');
const API_TOKEN = randomUUID();
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">';

const facts = (node: string, index: number, release: string) => ({
  hostname: { hostname: node, fqdn: `${node}.example.com`, domain: 'example.com' },
  platform: { platform: index % 3 === 0 ? 'rocky' : 'debian', platform_version: index % 3 === 0 ? '9.3' : '12' },
  kernel: { name: 'Linux', release: index % 2 === 0 ? '6.1.0-27-amd64' : '6.1.0-28-amd64' },
  cpu: { model_name: 'Intel(R) Xeon(R) Gold 6230', cores: 4 },
  packages: { curl: { version: '7.88.1-10', arch: 'amd64' } },
  app: { release, note: HOSTILE },
});

describeBrowser('VM Config list page in headless chromium', () => {
  let consulServer: ConsulServer;
  let kafkaServer: KafkaServer;
  let postgres: PostgresServer;
  let consul: ConsulClient;
  let app: AppProcess;
  let browser: Browser;
  let page: Page;
  let base: string;
  const consoleErrors: string[] = [];

  const nodeNames = Array.from({ length: 55 }, (_, i) => `${i < 5 ? 'web' : 'app'}-${String(i).padStart(2, '0')}`);
  const rows = () => page.locator('#nodes tbody tr').allTextContents();
  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [consulServer, kafkaServer, postgres] = await Promise.all([startConsul(), startKafka(), startPostgres()]);
    consul = new ConsulClient({ address: consulServer.address });
    ({ app, address: base } = await startCollectorService({
      consulAddress: consulServer.address,
      kafkaBrokers: kafkaServer.brokers,
      databaseUrl: postgres.connectionString,
      apiToken: API_TOKEN,
    }));
    for (const [i, node] of nodeNames.entries()) await writeFacts(consul, facts(node, i, '1.0.0'), { node, address: `10.0.0.${i + 1}` });
    const auth = { authorization: `Bearer ${API_TOKEN}` };
    const storedVersions = async (node: string): Promise<number | undefined> => {
      const history = await fetch(`${base}/v1/vm-config/nodes/${node}/history`, { headers: auth });
      return history.ok ? ((await history.json()) as { versions: unknown[] }).versions.length : undefined;
    };
    await waitFor('every node stored', async () => {
      const list = await fetch(`${base}/v1/vm-config/export?format=json`, { headers: auth });
      return list.ok && ((await list.json()) as unknown[]).length === nodeNames.length && (await storedVersions('web-01')) === 1 ? true : undefined;
    }, { timeoutMs: 120_000 });
    // web-01 gets a second version last, so it is also the most recently changed node. Written only
    // once the first is stored: a Consul watch sees the latest value, so two writes landing between
    // two of its rounds (a slow round under load) would be one version.
    await writeFacts(consul, facts('web-01', 1, '2.0.0'), { node: 'web-01', address: '10.0.0.2' });
    await waitFor('the second version of web-01 stored', async () => ((await storedVersions('web-01')) === 2 ? true : undefined), { timeoutMs: 120_000 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(30_000);
    // Script exceptions and CSP refusals; failed loads (the 401 before the token, 400s) are expected.
    page.on('pageerror', (error) => void consoleErrors.push(error.message));
    page.on('console', (message) => void (message.type() === 'error' && !message.text().startsWith('Failed to load resource') && consoleErrors.push(message.text())));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    expect(await app?.stop()).toBe(0);
    consul?.close();
    await Promise.all([consulServer?.stop(), kafkaServer?.stop(), postgres?.stop()]);
  });

  it('asks for the token, then lists the nodes with paging; the page is served with its CSP', async () => {
    const response = await page.goto(`${base}/vm-config/`);
    expect(response!.headers()['content-security-policy']).toBe(PAGE_CSP);
    await page.locator('#token').fill(API_TOKEN);
    await page.locator('#token-form button').click();
    await page.locator('#status', { hasText: '50 nodes on page 1' }).waitFor();
    expect((await rows())[0]).toContain('app-05');
    await shoot('list');
    await page.locator('#next').click();
    await page.locator('#status', { hasText: '5 nodes on page 2' }).waitFor();
    expect((await rows()).map((row) => row.slice(0, 6))).toEqual(['web-00', 'web-01', 'web-02', 'web-03', 'web-04']);
    await page.locator('#prev').click();
    await page.locator('#status', { hasText: 'on page 1' }).waitFor();
    expect(await page.locator('#prev').isDisabled()).toBe(true);
  });

  it('searches, filters and sorts by a column', async () => {
    await page.locator('#filter-q').fill('WEB-0');
    await page.locator('#filters button[type=submit]').click();
    await page.locator('#status', { hasText: '5 nodes on page 1' }).waitFor();
    await page.locator('#filter-os').fill('rocky');
    await page.locator('#filters button[type=submit]').click();
    await page.locator('#status', { hasText: '2 nodes on page 1' }).waitFor();
    expect((await rows()).map((row) => row.slice(0, 6))).toEqual(['web-00', 'web-03']);
    await page.locator('button.sort[data-sort=node]').click();
    await page.locator('button.sort[data-sort=node]', { hasText: '▼' }).waitFor();
    await waitFor('descending rows', async () => ((await rows())[0]?.startsWith('web-03') ? true : undefined), { timeoutMs: 30_000 });
    expect((await rows()).map((row) => row.slice(0, 6))).toEqual(['web-03', 'web-00']);
  });

  it('shows a node as a collapsible tree, fact values as text (never HTML), and copies a path', async () => {
    await page.goto(`${base}/vm-config/#/node/web-01`);
    await page.locator('#node-name', { hasText: 'web-01' }).waitFor();
    const app = page.locator('details[data-path="app"]');
    expect(await app.getAttribute('open')).toBeNull();
    await app.locator('summary').click();
    const note = page.locator('li[data-path="app.note"] .value');
    expect(await note.textContent()).toBe(JSON.stringify(HOSTILE));
    expect(await page.locator('#facts img').count()).toBe(0);
    expect(await page.title()).toBe('VM Config list');
    await page.locator('li[data-path="app.release"] button.copy').click();
    expect(await page.locator('#copied').textContent()).toBe('app.release');
    await shoot('node');
  });

  it('shows the history and the diff between two chosen versions', async () => {
    await page.locator('#history-link').click();
    await page.locator('#versions tbody tr').nth(1).waitFor();
    expect(await page.locator('#versions tbody tr').count()).toBe(2);
    await page.locator('input[name=from][value="1"]').check();
    await page.locator('input[name=to][value="2"]').check();
    await page.locator('#show-diff').click();
    await page.locator('#diff-summary', { hasText: '1 changes from version 1 to 2' }).waitFor();
    expect(await page.locator('#diff-table tr').allTextContents()).toEqual(['app.releasechanged"1.0.0""2.0.0"']);
    await shoot('history-diff');
  });

  it('lists the nodes changed in the last N days, most recent first', async () => {
    await page.locator('#nav-changed').click();
    await page.locator('#status', { hasText: '50 nodes on page 1' }).waitFor();
    expect((await rows())[0]).toContain('web-01');
    await page.locator('#filter-changed_within_days').fill('0');
    await page.locator('#filters button[type=submit]').click();
    await page.locator('.error', { hasText: 'changed_within_days: must be a whole number from 1 to 3650' }).waitFor();
    await page.locator('#filter-changed_within_days').waitFor({ state: 'detached' });
    await page.goto(`${base}/vm-config/#/changed?changed_within_days=3`);
    await page.locator('#status', { hasText: 'nodes on page 1' }).waitFor();
    await shoot('changed');
    expect(consoleErrors).toEqual([]);
  });
});
