import { describe, expect, test } from '@jest/globals';
import { readdirSync, rmSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discardStaged, installStaged, stageFile } from '../../src/fs/atomic.js';
import { makeDirs } from '../../src/fs/dirs.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const temp = useTempDirs('plexarr-staged-');

describe('staged files', () => {
  test('install renames every staged file; done() leaves no temp or backup behind', () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'a'), 'old a');
    const staged = [stageFile(join(dir, 'a'), 'new a', 0o600), stageFile(join(dir, 'b'), 'new b')];
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old a');
    installStaged(staged).done();
    expect([readFileSync(join(dir, 'a'), 'utf8'), readFileSync(join(dir, 'b'), 'utf8')]).toEqual(['new a', 'new b']);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  test('a rename that fails part-way puts the files already renamed back to the old ones', () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'a'), 'old a');
    writeFileSync(join(dir, 'b'), 'old b');
    const staged = [stageFile(join(dir, 'a'), 'new a'), stageFile(join(dir, 'b'), 'new b')];
    rmSync(staged[1]!.tmp);
    expect(() => installStaged(staged)).toThrow(/ENOENT/);
    discardStaged(staged);
    expect([readFileSync(join(dir, 'a'), 'utf8'), readFileSync(join(dir, 'b'), 'utf8')]).toEqual(['old a', 'old b']);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  test('undo() after a full install (the caller’s commit failed) restores the old files and removes new ones', () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'a'), 'old a');
    const staged = [stageFile(join(dir, 'a'), 'new a'), stageFile(join(dir, 'b'), 'new b')];
    installStaged(staged).undo();
    expect(readdirSync(dir)).toEqual(['a']);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old a');
  });
});

describe('makeDirs', () => {
  test('gives every folder it creates exactly the mode, whatever the umask; existing folders keep theirs', () => {
    const dir = temp.make();
    const old = process.umask(0);
    try {
      makeDirs(join(dir, 'x', 'y'), 0o750);
      makeDirs(dir, 0o755);
    } finally {
      process.umask(old);
    }
    expect(statSync(join(dir, 'x')).mode & 0o777).toBe(0o750);
    expect(statSync(join(dir, 'x', 'y')).mode & 0o777).toBe(0o750);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  test('a file in the way is an error, not a folder', () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'f'), '');
    expect(() => makeDirs(join(dir, 'f'), 0o750)).toThrow(/EEXIST/);
  });
});
