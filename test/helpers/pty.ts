import { spawn, type ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { BIN, REPO_ROOT } from './run-cli.js';

/**
 * `plexarr` in a pseudo-terminal, driven the way a person drives it: wait until a question is on
 * the screen, then type. util-linux `script` provides the terminal (no native module needed);
 * `stty` gives it a real size, as a terminal window would have.
 */
export interface PtySession {
  /** Everything shown so far, colour and cursor codes removed. */
  screen(): string;
  /** Waits until `text` appears after what earlier waits consumed, then types `keys`. */
  answer(text: string, keys: string): Promise<void>;
  exit(): Promise<number | null>;
}

export const KEY = { enter: '\r', backspace: '\x7f', down: '\x1b[B', space: ' ' } as const;

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export function startPty(
  args: readonly string[],
  opts: { env?: Record<string, string>; cols?: number; rows?: number; timeoutMs?: number } = {},
): PtySession {
  const command = `stty cols ${opts.cols ?? 120} rows ${opts.rows ?? 40}; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    ...process.env,
    CI: undefined,
    PLEXARR_HOME: undefined,
    NODE_OPTIONS: undefined,
    NO_COLOR: '1',
    TERM: 'xterm',
    ...opts.env,
  })) {
    if (v !== undefined) env[k] = v;
  }
  const child: ChildProcess = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  let consumed = 0;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    raw += d;
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    raw += d;
    notify();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      notify();
      resolve(code);
    }),
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const screen = () => stripVTControlCharacters(raw).replace(/\r/g, '');

  return {
    screen,
    answer: (text, keys) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const at = screen().indexOf(text, consumed);
          if (at >= 0) {
            waiters.delete(check);
            clearTimeout(timer);
            consumed = at + text.length;
            child.stdin!.write(keys);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`plexarr exited before showing "${text}". Screen:\n${screen()}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          // A failed wait must not leave the terminal (and jest) running.
          child.kill('SIGKILL');
          clearTimeout(killer);
          reject(new Error(`"${text}" did not appear within 15 s. Screen:\n${screen()}`));
        }, 15_000);
        waiters.add(check);
        check();
      }),
    exit: async () => {
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}
