import { X509Certificate, createPrivateKey } from 'node:crypto';
import { compareSync, decodeBase64 } from 'bcryptjs';
import { startVault, type VaultServer } from '@opzero/testing';
import { parseTemplate } from '../src';
import { bcryptHash } from '../src/functions/sprig/go-bcrypt';
import { renderWithAgent } from './bao-agent';
import { httpSecretSource } from './http-secret-source';

/**
 * Random and key-generating Sprig functions cannot match the agent byte for byte, so both
 * renderers' outputs are checked for the same structure here: bcrypt hashes verify, each
 * side decrypts the other's encryptAES, keys and certificates parse to the same types,
 * sizes, names and extensions.
 */
const EXTENSIONS = { subjectKeyId: 0x0e, keyUsage: 0x0f, subjectAltName: 0x11, basicConstraints: 0x13, authorityKeyId: 0x23, extKeyUsage: 0x25 };

let vault: VaultServer;
beforeAll(async () => {
  vault = await startVault({ mode: 'dev' });
}, 120_000);
afterAll(async () => {
  await vault?.stop();
});

/** Renders each template with `bao agent` (one process) and with libs/template. */
async function both(templates: readonly string[]): Promise<{ agent: string[]; lib: string[] }> {
  const result = await renderWithAgent(vault.address, vault.token, templates.map((template, i) => ({ id: String(i), template })), {});
  const agent = templates.map((_, i) => {
    const out = result.outputs.get(String(i));
    if (out === undefined) throw new Error(`agent did not render template ${i}: ${result.log.slice(-1000)}`);
    return out;
  });
  const lib = await Promise.all(templates.map((t, i) => parseTemplate(t, { name: `t${i}.tmpl` }).render({ source: httpSecretSource(vault.address, vault.token), env: {} })));
  return { agent, lib };
}

describe('random sprig functions against bao agent', () => {
  it('bcrypt and htpasswd hashes verify, at Go cost 10 with the $2a$ prefix', async () => {
    const { agent, lib } = await both(['{{ sprig_bcrypt "hunter2" }}', '{{ sprig_htpasswd "admin" "s3cr3t pässword" }}']);
    for (const hash of [agent[0]!, lib[0]!]) {
      expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
      expect(compareSync('hunter2', hash)).toBe(true);
      expect(compareSync('hunter3', hash)).toBe(false);
    }
    for (const line of [agent[1]!, lib[1]!]) {
      const [user, hash] = line.split(':') as [string, string];
      expect(user).toBe('admin');
      expect(compareSync('s3cr3t pässword', hash)).toBe(true);
    }
  }, 120_000);

  it('bcrypt of decoded bytes that are not UTF-8 hashes the raw bytes, as the agent does', async () => {
    const raw = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41, 0xc3]);
    const { agent, lib } = await both([`{{ base64Decode "${raw.toString('base64')}" | sprig_bcrypt }}`, `{{ sprig_htpasswd "svc" (base64Decode "${raw.toString('base64')}") }}`]);
    // Re-hashing the raw bytes with each hash's own salt must give that hash back.
    const rehash = (hash: string): string => bcryptHash(raw, 10, Uint8Array.from(decodeBase64(hash.slice(7, 29), 16)));
    for (const hash of [agent[0]!, lib[0]!, agent[1]!.split(':')[1]!, lib[1]!.split(':')[1]!]) {
      expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
      expect(rehash(hash)).toBe(hash);
    }
  }, 120_000);

  it('each side decrypts the encryptAES ciphertext of the other', async () => {
    const plain = 'db_password=S3cr3t! ünïcode';
    const { agent, lib } = await both([`{{ sprig_encryptAES "agent-key" "${plain}" }}`]);
    const back = await both([`{{ sprig_decryptAES "agent-key" "${lib[0]!}" }}`, `{{ sprig_decryptAES "agent-key" "${agent[0]!}" }}`]);
    expect(back.agent[0]).toBe(plain); // the agent reads our ciphertext
    expect(back.lib[1]).toBe(plain); // we read the agent's
    expect(Buffer.from(lib[0]!, 'base64').length).toBe(Buffer.from(agent[0]!, 'base64').length);
  }, 120_000);

  it('genPrivateKey gives the same key types and sizes', async () => {
    const types = ['rsa', 'ecdsa', 'ed25519', 'dsa'];
    const { agent, lib } = await both(types.map((t) => `{{ sprig_genPrivateKey "${t}" }}`));
    const shape = (pem: string): unknown => {
      const key = createPrivateKey(pem);
      return { header: pem.split('\n')[0], type: key.asymmetricKeyType, details: key.asymmetricKeyDetails };
    };
    expect(lib.map(shape)).toEqual(agent.map(shape));
    expect(agent.map(shape)[0]).toMatchObject({ header: '-----BEGIN RSA PRIVATE KEY-----', details: { modulusLength: 4096 } });
  }, 300_000);

  it('genCA, genSignedCert and genSelfSignedCert build the same certificates', async () => {
    const template =
      '{{ $ca := sprig_genCA "Example CA" 365 }}{{ $leaf := sprig_genSignedCert "web.internal" (sprig_list "10.0.0.7" "::1") (sprig_list "web.internal" "web") 30 $ca }}' +
      '{{ $self := sprig_genSelfSignedCertWithKey "self" nil (sprig_list "self.local") 7 (sprig_genPrivateKey "ecdsa") }}{{ $ca.Cert }}@{{ $leaf.Cert }}@{{ $leaf.Key }}@{{ $self.Cert }}';
    const { agent, lib } = await both([template]);
    const shape = (out: string): unknown => {
      const [caPem, leafPem, leafKey, selfPem] = out.split('@') as [string, string, string, string];
      const [ca, leaf, self] = [new X509Certificate(caPem), new X509Certificate(leafPem), new X509Certificate(selfPem)];
      const days = (c: X509Certificate): number => Math.round((Date.parse(c.validTo) - Date.parse(c.validFrom)) / 86_400_000);
      const view = (c: X509Certificate): unknown => {
        const legacy = c.toLegacyObject() as unknown as Record<string, unknown>;
        // Which extensions (2.5.29.x: key ids, key usage, basic constraints, SAN, EKU) are present.
        const extensions = Object.entries(EXTENSIONS).filter(([, id]) => c.raw.includes(Buffer.from([0x06, 0x03, 0x55, 0x1d, id]))).map(([name]) => name);
        return { subject: c.subject, issuer: c.issuer, ca: c.ca, san: c.subjectAltName, days: days(c), extKeyUsage: c.keyUsage, bits: legacy['bits'], serialBytes: c.serialNumber.length <= 32, extensions };
      };
      return {
        ca: view(ca),
        leaf: view(leaf),
        self: view(self),
        leafSignedByCa: leaf.verify(ca.publicKey) && leaf.checkIssued(ca),
        selfSigned: self.verify(self.publicKey),
        leafKeyMatches: leaf.checkPrivateKey(createPrivateKey(leafKey)),
      };
    };
    expect(shape(lib[0]!)).toEqual(shape(agent[0]!));
    expect(shape(agent[0]!)).toMatchObject({ leafSignedByCa: true, selfSigned: true, leafKeyMatches: true, ca: { extensions: ['subjectKeyId', 'keyUsage', 'basicConstraints', 'extKeyUsage'] } });
  }, 180_000);
});
