import { Chalk, type ChalkInstance } from 'chalk';

/**
 * The only way commands print. Colour only on a terminal and never with NO_COLOR or TERM=dumb;
 * tests hand in a logger that records lines instead.
 */
export interface Logger {
  /** Plain output on stdout: results, tables, hints. */
  info(text: string): void;
  success(text: string): void;
  /** Diagnostics on stderr, so stdout stays clean for `--json` and pipes. */
  warn(text: string): void;
  error(text: string): void;
  style: ChalkInstance;
}

export interface LoggerStreams {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function createLogger(streams: LoggerStreams = { out: process.stdout, err: process.stderr, env: process.env }): Logger {
  const style = new Chalk({ level: colourWanted(streams.out, streams.env) ? 1 : 0 });
  const errStyle = new Chalk({ level: colourWanted(streams.err, streams.env) ? 1 : 0 });
  return {
    style,
    info: (text) => streams.out.write(`${text}\n`),
    success: (text) => streams.out.write(`${style.green('✔')} ${text}\n`),
    warn: (text) => streams.err.write(`${errStyle.yellow('!')} ${text}\n`),
    error: (text) => streams.err.write(`${errStyle.red('✖')} ${text}\n`),
  };
}

/** A logger that keeps what was printed (tests, and `--json` runs that must not print prose). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (prefix: string) => (text: string) => {
    lines.push(`${prefix}${text}`);
  };
  return { lines, style: new Chalk({ level: 0 }), info: push(''), success: push('✔ '), warn: push('! '), error: push('✖ ') };
}
