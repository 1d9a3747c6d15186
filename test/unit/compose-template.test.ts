import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { fillTemplate } from '../../src/compose/template.js';

describe('fillTemplate', () => {
  const template = parse(`
image: "{{image}}"
user: "{{puid}}:{{pgid}}"
environment: "{{environment}}"
depends_on: "{{dependsOn}}"
cap_add: [NET_ADMIN]
`);

  test('whole placeholders take structured values, embedded ones are interpolated, undefined drops the key', () => {
    expect(fillTemplate(template, { image: 'img:1', puid: 0, pgid: 100, environment: { A: '1' }, dependsOn: undefined }, 't')).toEqual({
      image: 'img:1',
      user: '0:100',
      environment: { A: '1' },
      cap_add: ['NET_ADMIN'],
    });
  });

  test('a value cannot change the structure: it stays one string', () => {
    const filled = fillTemplate(
      template,
      { image: 'x"\n  privileged: true\n#', puid: 1, pgid: 1, environment: {}, dependsOn: ['a'] },
      't',
    ) as Record<string, unknown>;
    expect(filled.image).toBe('x"\n  privileged: true\n#');
    expect(filled.privileged).toBeUndefined();
  });

  test('an unknown placeholder or a structure inside a string is a template bug, named', () => {
    expect(() => fillTemplate({ a: '{{nope}}' }, {}, 'radarr')).toThrow('template radarr uses unknown placeholder {{nope}}');
    expect(() => fillTemplate({ a: 'x{{env}}' }, { env: { A: '1' } }, 'radarr')).toThrow('template radarr: {{env}} is not a scalar');
  });
});
