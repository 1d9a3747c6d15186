import { describe, expect, it } from '@jest/globals';
import { FLAGS, formatIssue, showValue } from '../../src/config/issues.js';
import { UsageError } from '../../src/errors.js';
import { isSecretField } from '../../src/redact.js';
import { echo, escapeControl, escapeProse } from '../../src/ui/echo.js';
import { handleError, zodIssueLines } from '../../src/ui/handle-error.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { schemaCheck } from '../../src/wizard/validate.js';

/** How values the user gave come back in messages: escaped, capped, secrets masked. */

const SECRET = 'S3cr3t-Pa55word-XYZ!';

describe('echo', () => {
  it('escapes C0, DEL and C1 controls and keeps everything else', () => {
    expect(escapeControl('a\u001b[31mb\u0007c\u007fd\u009be\nf\tg é ✓')).toBe('a\\x1b[31mb\\x07c\\x7fd\\x9be\\nf\\tg é ✓');
    expect(escapeProse('line one\nline\u001b two\tend')).toBe('line one\nline\\x1b two\tend');
  });

  it('cuts a value to 80 characters with an ellipsis, quickly even for 50 MB', () => {
    expect(echo('a'.repeat(80))).toBe('a'.repeat(80));
    expect(echo('a'.repeat(81))).toBe(`${'a'.repeat(79)}…`);
    const started = Date.now();
    expect(echo('\u001b'.repeat(50_000_000))).toHaveLength(80);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('takes names with password, token, key or secret (any case) for secrets', () => {
    expect(['adminpassword', 'PLEX_TOKEN', 'apiKey', 'client_secret'].filter(isSecretField)).toHaveLength(4);
    expect(['adminUser', 'mediaRoot', 'domain'].filter(isSecretField)).toHaveLength(0);
  });
});

describe('showValue', () => {
  it('masks secret answers, secret-looking keys and known secret values', () => {
    expect(showValue(['adminPassword'], SECRET)).toBe('********');
    expect(showValue(['adminpassword'], SECRET)).toBe('********');
    expect(showValue(['extras', 'Api_Key'], SECRET)).toBe('********');
    expect(showValue(['comment'], `my password is ${SECRET}`, [SECRET])).toBe('my password is ********');
  });

  it('masks before cutting, so a secret near the limit does not show its first characters', () => {
    const shown = showValue(['comment'], `${'x'.repeat(70)}${SECRET}`, [SECRET]);
    expect(shown).toBe(`${'x'.repeat(70)}********`);
    expect(shown).not.toContain(SECRET.slice(0, 4));
  });

  it('formats an issue with the escaped value and an escaped port key', () => {
    expect(formatIssue({ path: ['ports', 'rad\u001barr'], message: 'is not a service port', value: 'rad\u001barr' }, FLAGS)).toBe(
      '--port rad\\x1barr: is not a service port (got "rad\\u001barr")',
    );
  });
});

describe('the answers schema', () => {
  it('refuses control characters in paths and secrets typed at a prompt too', () => {
    expect(schemaCheck('mediaRoot')('/srv/\u001b[31mmedia')).toBe('must not contain control characters');
    expect(schemaCheck('adminPassword')('password\u0007123')).toBe('must not contain control characters');
    expect(schemaCheck('mediaRoot')('/srv/tab\there')).toBe('must not contain control characters');
    expect(schemaCheck('mediaRoot')('/srv/media')).toBe(true);
  });
});

describe('handleError', () => {
  it('prints a usage error with its control characters escaped', () => {
    const log = memoryLogger();
    expect(handleError(new UsageError('--home: bad\u001b]0;title\u0007 (got x)\nsecond line'), log)).toBe(2);
    expect(log.lines).toEqual(['✖ --home: bad\\x1b]0;title\\x07 (got x)\nsecond line']);
    expect(handleError(new Error('boom\u001b[2J'), log)).toBe(1);
    expect(log.lines[1]).toContain('boom\\x1b[2J');
  });

  it('quotes an option value escaped and capped, and masks secret options', () => {
    const issues = [
      { path: ['host'], message: 'must be a host name', input: `\u001b[2J${'h'.repeat(200)}` },
      { path: ['plexToken'], message: 'must be a token', input: SECRET },
    ];
    const [host, token] = zodIssueLines({ issues });
    expect(host).toBe(`--host: must be a host name (got \\x1b[2J${'h'.repeat(72)}…)`);
    expect(token).toBe('--plex-token: must be a token (got ********)');
  });
});
