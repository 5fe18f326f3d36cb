import { describe, expect, it } from 'vitest';
import { checkLogo, sniffLogoType } from './logo';
import { logoPath, logoTooLargeMessage, MAX_LOGO_BYTES } from './logo-limits';
import { JPEG_BYTES, PNG_BYTES, SVG_BYTES, WEBP_BYTES } from './logo-fixtures';

describe('logo checks', () => {
  it('decides the type by the bytes: PNG, JPEG and WebP signatures', () => {
    expect(sniffLogoType(PNG_BYTES())).toBe('image/png');
    expect(sniffLogoType(JPEG_BYTES())).toBe('image/jpeg');
    expect(sniffLogoType(WEBP_BYTES())).toBe('image/webp');
  });

  it('knows nothing else: SVG, GIF, a RIFF that is not WebP, a truncated PNG signature', () => {
    expect(sniffLogoType(SVG_BYTES())).toBeNull();
    expect(sniffLogoType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffLogoType(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(sniffLogoType(PNG_BYTES().subarray(0, 7))).toBeNull();
  });

  it('names SVG in its refusal, hashes what it accepts, and refuses one byte over the limit', () => {
    expect(() => checkLogo({ bytes: SVG_BYTES() })).toThrow(/SVG and other markup files are not accepted/);
    expect(checkLogo({ bytes: PNG_BYTES() })).toMatchObject({
      contentType: 'image/png',
      size: PNG_BYTES().length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const atLimit = new Uint8Array(MAX_LOGO_BYTES);
    atLimit.set(PNG_BYTES());
    expect(checkLogo({ bytes: atLimit }).size).toBe(MAX_LOGO_BYTES);
    const over = new Uint8Array(MAX_LOGO_BYTES + 1);
    over.set(PNG_BYTES());
    expect(() => checkLogo({ bytes: over })).toThrow(logoTooLargeMessage(MAX_LOGO_BYTES + 1));
  });

  it('says a file just over the limit is over it (rounded up, never "1.0 MB")', () => {
    expect(logoTooLargeMessage(MAX_LOGO_BYTES + 1)).toMatch(/^The logo is 1\.1 MB;/);
  });

  it('puts a prefix of the hash in the served URL, and no URL without a logo', () => {
    expect(logoPath('org_acme', 'ab'.repeat(32))).toBe(`/api/orgs/org_acme/logo?v=${'ab'.repeat(8)}`);
    expect(logoPath('org_acme', null)).toBeNull();
  });
});
