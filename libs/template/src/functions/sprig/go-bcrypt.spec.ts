import { compareSync, hashSync } from 'bcryptjs';
import { bcryptHash } from './go-bcrypt';

// bcryptjs is an independent implementation: for UTF-8 passwords both must agree bit for bit.
describe('bcryptHash (x/crypto/bcrypt over raw bytes)', () => {
  const salt = Buffer.from('0123456789abcdef');

  it.each(['hunter2', 's3cr3t pässword', '', 'x'.repeat(72)])('matches bcryptjs for %j at cost 4', (password) => {
    const ours = bcryptHash(Buffer.from(password, 'utf8'), 4, salt);
    expect(ours).toMatch(/^\$2a\$04\$[./A-Za-z0-9]{53}$/);
    expect(ours).toBe(hashSync(password, ours.slice(0, 29)));
  });

  it('hashes bytes that are not UTF-8 as bytes (not as U+FFFD)', () => {
    const raw = Buffer.from([0xff, 0xfe, 0x41]);
    const ours = bcryptHash(raw, 4, salt);
    expect(compareSync('\ufffd\ufffdA', ours)).toBe(false);
    expect(ours).not.toBe(bcryptHash(Buffer.from([0xff, 0xfd, 0x41]), 4, salt));
  });

  it('refuses more than 72 bytes as Go does', () => {
    expect(() => bcryptHash(Buffer.alloc(73, 0x61), 4)).toThrow('bcrypt: password length exceeds 72 bytes');
  });
});
