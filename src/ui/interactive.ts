/**
 * Whether a person is there to be asked: stdin and the stream the question is written to are
 * terminals, and CI is not set (to anything but '', '0' or 'false').
 */
export function personAtTerminal(
  output: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
  input: { isTTY?: boolean } = process.stdin,
): boolean {
  const ci = env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
  return input.isTTY === true && output.isTTY === true && !ci;
}
