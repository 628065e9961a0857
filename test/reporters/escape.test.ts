import { code, logSafe, md } from '../../src/reporters/escape.js';

describe('escaping untrusted text', () => {
  it('md() leaves no markup, mention, HTML comment or line break', () => {
    const out = md('a <!-- x --> @team `c` | [l](javascript:y) **b**\n# h');
    expect(out).not.toMatch(/[<>@`|[\]*\n]|#(?!\d)/);
    expect(out).toBe(
      'a &lt;&#33;-- x --&gt; &#64;team &#96;c&#96; &#124; &#91;l&#93;(javascript&#58;y) &#42;&#42;b&#42;&#42; &#35; h',
    );
  });

  it('code() fences with more backticks than the text holds', () => {
    expect(code('org/name')).toBe('`org/name`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('two\nlines')).toBe('`two lines`');
    expect(code('a|b', { inTable: true })).toBe('`a\\|b`');
  });

  it('logSafe() cannot start a workflow command', () => {
    expect(logSafe('::set-output name=x::y\n::add-mask::z')).toBe(
      ':\u200b:set-output name=x:\u200b:y :\u200b:add-mask:\u200b:z',
    );
    expect(logSafe('a:b')).toBe('a:b');
  });
});
