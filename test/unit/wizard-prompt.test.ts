import { describe, expect, test } from '@jest/globals';
import { inquirerPrompts } from '../../src/wizard/prompt.js';

/**
 * The real prompt provider over a stand-in for @inquirer/prompts that answers as the terminal
 * would after the user backspaced over the shown default: an empty string.
 */
type InputConfig = { message: string; default?: string; validate?: (value: string) => true | string | Promise<true | string> };

function backspacedInquirer(seen: { verdict?: true | string }) {
  const input = async (config: InputConfig) => {
    seen.verdict = config.validate ? await config.validate('') : true;
    return '';
  };
  const unused = async () => {
    throw new Error('not asked in this test');
  };
  return { input, password: unused, confirm: unused, select: unused, checkbox: unused } as unknown as Parameters<typeof inquirerPrompts>[0];
}

describe('inquirerPrompts', () => {
  test('an empty answer keeps the default, and is validated as the default', async () => {
    const seen: { verdict?: true | string } = {};
    const prompt = await inquirerPrompts(backspacedInquirer(seen));
    const answer = await prompt.input({
      name: 'puid',
      message: 'PUID',
      default: '1000',
      validate: (v) => (/^\d+$/.test(v) ? true : 'must be a number'),
    });
    expect(seen.verdict).toBe(true);
    expect(answer).toBe('1000');
  });

  test('without a default an empty answer stays empty and meets the validation', async () => {
    const seen: { verdict?: true | string } = {};
    const prompt = await inquirerPrompts(backspacedInquirer(seen));
    const answer = await prompt.input({ name: 'puid', message: 'PUID', validate: (v) => (/^\d+$/.test(v) ? true : 'must be a number') });
    expect(seen.verdict).toBe('must be a number');
    expect(answer).toBe('');
  });
});
