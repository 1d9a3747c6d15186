import { describe, expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { colourWanted, createLogger } from '../../src/ui/logger.js';
import { renderPairs, renderTable } from '../../src/ui/table.js';

/** The output helpers the wizard prints through. */

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: string } {
  const stream = new Writable({
    write(chunk, _enc, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { isTTY: boolean; text: string };
  stream.isTTY = isTTY;
  stream.text = '';
  return stream;
}

describe('colour', () => {
  test.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { TERM: 'dumb' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { NO_COLOR: '' }, true],
  ])('tty=%s env=%j → %s', (isTTY, env, expected) => {
    expect(colourWanted({ isTTY }, env)).toBe(expected);
  });

  test('no escape codes when not a terminal; info on stdout, warnings on stderr', () => {
    const out = sink(false);
    const err = sink(false);
    const log = createLogger({ out, err, env: {} });
    log.success(log.style.bold('done'));
    log.warn('careful');
    expect(out.text).toBe('✔ done\n');
    expect(err.text).toBe('! careful\n');
  });

  test('escape codes on a terminal', () => {
    const out = sink(true);
    createLogger({ out, err: sink(true), env: {} }).success('done');
    expect(out.text).toContain('\u001b[');
  });
});

describe('tables', () => {
  test('columns align on visible width, ignoring colour codes', () => {
    const text = renderTable(
      ['service', 'port'],
      [
        ['\u001b[32mradarr\u001b[39m', '7878'],
        ['prowlarr', '9696'],
      ],
    );
    expect(text.split('\n').map((l) => stripVTControlCharacters(l))).toEqual([
      'service   port',
      '--------  ----',
      'radarr    7878',
      'prowlarr  9696',
    ]);
  });

  test('pairs', () => {
    expect(
      renderPairs([
        ['Home', '/h'],
        ['Media root', '/m'],
      ]),
    ).toBe('Home        /h\nMedia root  /m');
  });
});
