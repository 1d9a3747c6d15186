/**
 * How a wizard step asks a question. Every question has a name (the answer's key: `mediaRoot`,
 * `ports.radarr`, `confirm`), so tests answer by name with a plain object instead of a terminal,
 * and the real provider (@inquirer/prompts) is loaded only when a person is actually asked.
 */
export type Validate<T> = (value: T) => true | string | Promise<true | string>;

export interface Choice<T extends string> {
  value: T;
  name: string;
  checked?: boolean;
}

export interface PromptProvider {
  input(q: { name: string; message: string; default?: string; validate?: Validate<string> }): Promise<string>;
  password(q: { name: string; message: string; validate?: Validate<string> }): Promise<string>;
  confirm(q: { name: string; message: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(q: { name: string; message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  checkbox<T extends string>(q: { name: string; message: string; choices: Choice<T>[]; validate?: Validate<readonly T[]> }): Promise<T[]>;
}

type Inquirer = Pick<typeof import('@inquirer/prompts'), 'input' | 'password' | 'confirm' | 'select' | 'checkbox'>;

export async function inquirerPrompts(lib?: Inquirer): Promise<PromptProvider> {
  const inquirer = lib ?? (await import('@inquirer/prompts'));
  return {
    input: async (q) => {
      // Backspacing over the shown default leaves an empty answer; that means "keep the default".
      const keep = (value: string) => (value === '' && q.default !== undefined ? q.default : value);
      const validate = q.validate;
      return keep(
        await inquirer.input({ message: q.message, default: q.default, validate: validate ? (value) => validate(keep(value)) : undefined }),
      );
    },
    password: (q) => inquirer.password({ message: q.message, mask: '*', validate: q.validate }),
    confirm: (q) => inquirer.confirm({ message: q.message, default: q.default }),
    select: (q) => inquirer.select({ message: q.message, choices: q.choices, default: q.default }),
    checkbox: (q) =>
      inquirer.checkbox({
        message: q.message,
        choices: q.choices,
        validate: q.validate ? (items) => (q.validate as Validate<readonly string[]>)(items.map((i) => i.value)) : undefined,
      }),
  };
}
