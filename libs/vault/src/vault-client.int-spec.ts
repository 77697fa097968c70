import { startRedis, startVault, type VaultServer } from '@opzero/testing';
import { VaultClient, VaultError } from './index';

describe('VaultClient on a real OpenBao (dev): KV v1/v2, logical paths, transit, leases, capabilities, namespaces', () => {
  let server: VaultServer;
  let vault: VaultClient;

  beforeAll(async () => {
    server = await startVault({ mode: 'dev' });
    vault = new VaultClient({ address: server.address, token: server.token });
  }, 120_000);
  afterAll(() => server?.stop());

  it('writes and reads KV v2 versions', async () => {
    const first = await vault.kvWrite('secret', 'shop/db', { user: 'app', password: 'v1' });
    const second = await vault.kvWrite('secret', 'shop/db', { user: 'app', password: 'v2' });
    expect(second).toBe(first + 1);

    const latest = await vault.kvRead<{ password: string }>('secret', 'shop/db');
    expect(latest.data.password).toBe('v2');
    expect(latest.metadata.version).toBe(second);
    expect((await vault.kvRead<{ password: string }>('secret', 'shop/db', first)).data.password).toBe('v1');
  });

  it('reports a missing secret as a 404 VaultError with the path', async () => {
    await expect(vault.kvRead('secret', 'does/not/exist')).rejects.toMatchObject({
      name: 'VaultError',
      status: 404,
      path: 'secret/data/does/not/exist',
    });
  });

  it('rejects a bad token with 403 and never puts the token in the message', async () => {
    const error = await vault.withToken('not-a-token').kvRead('secret', 'shop/db').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).status).toBe(403);
    expect((error as VaultError).message).not.toContain('not-a-token');
  });

  it('writes and reads KV v1, which keeps no versions', async () => {
    await vault.enableSecretsEngine('kv1', { type: 'kv', options: { version: '1' } });
    await vault.kvV1Write('kv1', 'app/db', { user: 'app', password: 'one' });
    await vault.kvV1Write('kv1', 'app/db', { password: 'two' });
    const secret = await vault.kvV1Read<{ user?: string; password: string }>('kv1', 'app/db');
    expect(secret.data).toEqual({ password: 'two' });
    expect(secret.lease_duration).toBeGreaterThan(0);
    expect(await vault.list('kv1/app')).toEqual(['db']);
  });

  it('reads KV v2 metadata with current_version, and refuses a stale check-and-set', async () => {
    expect(await vault.kvWrite('secret', 'meta/app', { v: 1 }, { cas: 0 })).toBe(1);
    expect(await vault.kvWrite('secret', 'meta/app', { v: 2 }, { cas: 1 })).toBe(2);
    await expect(vault.kvWrite('secret', 'meta/app', { v: 3 }, { cas: 1 })).rejects.toMatchObject({ status: 400, path: 'secret/data/meta/app' });

    await vault.kvWriteMetadata('secret', 'meta/app', { max_versions: 5, custom_metadata: { owner: 'team-a' } });
    const metadata = await vault.kvReadMetadata('secret', 'meta/app');
    expect(metadata).toMatchObject({ current_version: 2, oldest_version: 0, max_versions: 5, custom_metadata: { owner: 'team-a' } });
    expect(Object.keys(metadata.versions).sort()).toEqual(['1', '2']);
    expect(await vault.kvList('secret', 'meta')).toEqual(['app']);
    expect(await vault.kvList('secret', 'nothing-here')).toEqual([]);
  });

  it('encodes path segments and refuses . and .. before sending anything', async () => {
    await vault.kvWrite('secret', 'odd/a b?c=d', { ok: true });
    expect((await vault.kvRead<{ ok: boolean }>('secret', 'odd/a b?c=d')).data.ok).toBe(true);
    expect(await vault.kvList('secret', 'odd')).toEqual(['a b?c=d']);
    const error = await vault.kvRead('secret', '../../sys/seal').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ status: 0, code: 'invalid-request', errors: ['path segment ".." is not allowed'] });
  });

  it('reads and writes any logical path with the response envelope', async () => {
    await vault.enableSecretsEngine('cubby-kv', { type: 'kv', options: { version: '1' } });
    expect(await vault.write('cubby-kv/x', { a: '1' })).toBeUndefined();
    const read = await vault.read<{ a: string }>('cubby-kv/x');
    expect(read).toMatchObject({ data: { a: '1' }, lease_id: '', renewable: false });
    await vault.delete('cubby-kv/x');
    await expect(vault.read('cubby-kv/x')).rejects.toMatchObject({ status: 404 });
    const mounts = await vault.request<{ data: Record<string, { type: string }> }>('GET', 'sys/mounts');
    expect(mounts.data['cubby-kv/']).toMatchObject({ type: 'kv' });
  });

  it('encrypts and decrypts with transit, with associated data and a derived key', async () => {
    await vault.enableSecretsEngine('transit', { type: 'transit' });
    await vault.transitCreateKey('shares');
    const plaintext = Buffer.from([0, 1, 2, 250, 255]);
    const ciphertext = await vault.transitEncrypt('shares', plaintext, { associatedData: Buffer.from('node-a') });
    expect(ciphertext).toMatch(/^vault:v1:/);
    expect(await vault.transitDecrypt('shares', ciphertext, { associatedData: Buffer.from('node-a') })).toEqual(plaintext);
    await expect(vault.transitDecrypt('shares', ciphertext, { associatedData: Buffer.from('node-b') })).rejects.toMatchObject({ status: 400 });

    await vault.transitCreateKey('derived', { derived: true });
    const derived = await vault.transitEncrypt('derived', 'text', { context: Buffer.from('ctx-1') });
    expect((await vault.transitDecrypt('derived', derived, { context: Buffer.from('ctx-1') })).toString()).toBe('text');
    await expect(vault.transitEncrypt('derived', 'text')).rejects.toMatchObject({ status: 400 });
  });

  it('transit on another mount path', async () => {
    await vault.enableSecretsEngine('kms/transit', { type: 'transit' });
    await vault.transitCreateKey('k', { type: 'chacha20-poly1305' }, 'kms/transit');
    const ciphertext = await vault.transitEncrypt('k', 'x', { mount: 'kms/transit' });
    expect((await vault.transitDecrypt('k', ciphertext, { mount: 'kms/transit' })).toString()).toBe('x');
  });

  it('revokes a lease, and reports a lease Vault will not renew as such', async () => {
    // PKI with generate_lease is the dynamic secret a dev server can issue without another
    // server behind it; its leases are revocable but not renewable.
    await vault.enableSecretsEngine('pki', { type: 'pki' });
    await vault.write('pki/root/generate/internal', { common_name: 'opzero test', ttl: '24h' });
    await vault.write('pki/roles/web', { allowed_domains: 'example.com', allow_subdomains: true, generate_lease: true, max_ttl: '1h' });
    const issued = await vault.write<{ serial_number: string }>('pki/issue/web', { common_name: 'a.example.com', ttl: '10m' });
    const leaseId = issued!.lease_id;
    expect(leaseId).toMatch(/^pki\/issue\/web\//);

    await expect(vault.leaseRenew(leaseId, 60)).rejects.toMatchObject({ status: 400, errors: ['lease is not renewable'] });
    await expect(vault.leaseRenew('pki/issue/web/not-a-lease')).rejects.toMatchObject({ status: 400, errors: ['lease not found'] });
    expect((await vault.write('sys/leases/lookup', { lease_id: leaseId }))?.data).toMatchObject({ id: leaseId });
    await vault.leaseRevoke(leaseId);
    await expect(vault.write('sys/leases/lookup', { lease_id: leaseId })).rejects.toMatchObject({ status: 400 });
  });

  it('renews a database lease (redis plugin on a real Redis) by the increment asked, then revokes it', async () => {
    const redis = await startRedis();
    try {
      await vault.enableSecretsEngine('database', { type: 'database' });
      await vault.write('database/config/cache', {
        plugin_name: 'redis-database-plugin',
        host: redis.host,
        port: redis.port,
        username: 'default',
        password: redis.password,
        allowed_roles: ['reader'],
      });
      await vault.write('database/roles/reader', { db_name: 'cache', creation_statements: ['["+@read"]'], default_ttl: '5m', max_ttl: '1h' });
      const creds = await vault.read<{ username: string }>('database/creds/reader');
      expect(creds).toMatchObject({ renewable: true, lease_duration: 300 });

      expect(await vault.leaseRenew(creds.lease_id, 1200)).toEqual({ lease_id: creds.lease_id, lease_duration: 1200, renewable: true });
      const lookup = await vault.write<{ ttl: number }>('sys/leases/lookup', { lease_id: creds.lease_id });
      expect(lookup!.data.ttl).toBeGreaterThan(300);
      await vault.leaseRevoke(creds.lease_id);
      await expect(vault.leaseRenew(creds.lease_id)).rejects.toMatchObject({ status: 400 });
    } finally {
      await redis.stop();
    }
  });

  it('reports the capabilities of the token on each path', async () => {
    await vault.writePolicy('reader', 'path "secret/data/shop/*" { capabilities = ["read"] }');
    const created = await vault.write('auth/token/create', { policies: ['reader'], ttl: '10m' });
    const reader = vault.withToken((created!.auth as { client_token: string }).client_token);
    expect(await reader.capabilitiesSelf(['secret/data/shop/db', 'secret/data/other', 'sys/seal'])).toEqual({
      'secret/data/shop/db': ['read'],
      'secret/data/other': ['deny'],
      'sys/seal': ['deny'],
    });
    expect(await vault.capabilitiesSelf(['sys/seal'])).toEqual({ 'sys/seal': ['root'] });
  });

  it('sends the namespace header: a secret written in a namespace is not visible outside it', async () => {
    await vault.write('sys/namespaces/team-a', {});
    const team = vault.withNamespace('team-a');
    await team.enableSecretsEngine('kv', { type: 'kv', options: { version: '2' } });
    await team.kvWrite('kv', 'app', { where: 'team-a' });
    expect((await team.kvRead<{ where: string }>('kv', 'app')).data.where).toBe('team-a');
    expect((await new VaultClient({ address: server.address, token: server.token, namespace: 'team-a' }).kvRead<{ where: string }>('kv', 'app')).data.where).toBe('team-a');
    await expect(vault.kvRead('kv', 'app')).rejects.toMatchObject({ status: 404 });
  });
});

describe('seal and unseal through the HTTP API (sealed mode, raft storage)', () => {
  let server: VaultServer;

  beforeAll(async () => {
    server = await startVault({ mode: 'sealed', initialize: { shares: 5, threshold: 3 } });
  }, 120_000);
  afterAll(() => server?.stop());

  it('starts initialised and sealed, unseals with a threshold of shares, seals again', async () => {
    const vault = new VaultClient({ address: server.address, token: server.token });
    const keys = server.init?.keys ?? [];
    expect(keys).toHaveLength(5);
    expect(await vault.sealStatus()).toMatchObject({ initialized: true, sealed: true, t: 3, n: 5, progress: 0 });

    expect(await vault.unseal(keys[0] as string)).toMatchObject({ sealed: true, progress: 1 });
    expect(await vault.unseal(keys[3] as string)).toMatchObject({ sealed: true, progress: 2 });
    expect(await vault.unseal(keys[4] as string)).toMatchObject({ sealed: false, progress: 0 });

    await vault.seal();
    expect((await vault.sealStatus()).sealed).toBe(true);
  }, 60_000);

  it('comes back sealed after a restart, with its data', async () => {
    const vault = new VaultClient({ address: server.address, token: server.token });
    await server.restart();
    const status = await vault.sealStatus();
    expect(status).toMatchObject({ initialized: true, sealed: true });
  }, 60_000);

  it('survives a crash: killed and started again, it is still initialised and sealed', async () => {
    const vault = new VaultClient({ address: server.address });
    await server.kill();
    await expect(vault.sealStatus()).rejects.toThrow();
    await server.restart();
    expect(await vault.sealStatus()).toMatchObject({ initialized: true, sealed: true, n: 5, t: 3 });
  }, 60_000);

  it('accepts foreign shares as progress until the threshold, then refuses them and resets', async () => {
    // Shamir cannot check a single share; the server only finds out when it combines them.
    const vault = new VaultClient({ address: server.address });
    const foreign = ['01', '02', '03'].map((byte) => byte.repeat(33));
    expect(await vault.unseal(foreign[0] as string)).toMatchObject({ sealed: true, progress: 1 });
    expect(await vault.unseal(foreign[1] as string)).toMatchObject({ sealed: true, progress: 2 });
    await expect(vault.unseal(foreign[2] as string)).rejects.toMatchObject({ status: 400 });
    expect(await vault.sealStatus()).toMatchObject({ sealed: true, progress: 0 });
  });
});
