import {
  COMMENT_LIMIT,
  renderAllClear,
  renderPrComment,
  SUMMARY_MARKER,
} from '../../src/reporters/pr-comment.js';
import type { Finding } from '../../src/types.js';
import { OLD_FINDING, PIN_FIX_FINDING, prResult, REMOTE_CODE_FINDING, SHA } from './pr-fixtures.js';

const BLOB = `https://github.com/acme/support-llm/blob/${SHA}`;
const onChangedLines = (f: Finding) => f.file === 'src/train.py';
const FINDINGS = [REMOTE_CODE_FINDING, PIN_FIX_FINDING, OLD_FINDING];

describe('pull request summary comment', () => {
  it('puts findings on changed lines first and collapses the rest', () => {
    const body = renderPrComment(prResult(FINDINGS), {
      isChanged: onChangedLines,
      blobUrl: BLOB,
      headSha: SHA,
      scope: 'all',
    });
    expect(body).toMatchSnapshot();
    expect(body.startsWith(`${SUMMARY_MARKER}\n`)).toBe(true);
  });

  it('says when nothing is on a changed line, and notes limits of the run', () => {
    const body = renderPrComment(prResult([OLD_FINDING]), {
      isChanged: () => false,
      headSha: SHA,
      scope: 'changed',
      notes: ['GitHub lists at most 3000 changed files of a pull request.'],
    });
    expect(body).toMatchSnapshot();
  });

  it('becomes a short all clear when there are no findings', () => {
    const body = renderAllClear(prResult([]), { headSha: SHA, scope: 'changed' });
    expect(body).toMatchSnapshot();
    expect(
      renderPrComment(prResult([]), { isChanged: () => false, headSha: SHA, scope: 'changed' }),
    ).toBe(body);
  });

  it('renders the same text for the same findings and commit (so a re-run edits nothing)', () => {
    const options = {
      isChanged: onChangedLines,
      blobUrl: BLOB,
      headSha: SHA,
      scope: 'all' as const,
    };
    expect(renderPrComment(prResult(FINDINGS), options)).toBe(
      renderPrComment(prResult([...FINDINGS]), options),
    );
  });

  it('stays under GitHub 65,536 characters with thousands of findings and says what it left out', () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ...PIN_FIX_FINDING,
      file: `configs/run-${Math.floor(i / 10)}.yml`,
      line: i + 1,
    }));
    const body = renderPrComment(prResult(many), {
      isChanged: (f) => f.line % 2 === 0,
      blobUrl: BLOB,
      headSha: SHA,
      scope: 'all',
    });
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    const shown = body.split('\n').filter((l) => l.startsWith('| 🟨')).length;
    expect(shown).toBeGreaterThan(50);
    expect(body).toContain(
      `_${3000 - shown} more findings did not fit in a comment; the full list is in the job summary and the JSON report._`,
    );
    expect(body.endsWith('</sub>\n')).toBe(true);
  });

  it('keeps hostile upstream text inert: no mentions, no markup, no early end of the marker', () => {
    const hostile: Finding = {
      ...PIN_FIX_FINDING,
      message: '@octocat --> <img src=x onerror=alert(1)> [click](javascript:alert(1)) #1',
      links: [{ title: 'x', url: 'javascript:alert(1)' }],
    };
    const body = renderPrComment(prResult([hostile]), {
      isChanged: () => true,
      headSha: SHA,
      scope: 'changed',
    });
    expect(body).not.toContain('@octocat');
    expect(body).not.toContain('<img');
    expect(body.split('-->')).toHaveLength(2); // only the marker's own
    expect(body).not.toContain('javascript:');
  });

  it('leaves findings covered by policy exceptions out of counts and tables, folded at the end', () => {
    const excepted: Finding = {
      ...PIN_FIX_FINDING,
      suppressed: { reason: 'pinned by the serving image', expires: '2099-12-31' },
    };
    const body = renderPrComment(prResult([REMOTE_CODE_FINDING, excepted]), {
      isChanged: () => true,
      headSha: SHA,
      scope: 'changed',
    });
    expect(body).toContain('### 🛡️ LLM supply chain guard: 🟧 1 high · 1 suppressed\n');
    expect(body).toContain('1 finding, **1 on lines this pull request changes**.');
    expect(body.split('\n').filter((l) => l.startsWith('| 🟨'))).toEqual([
      expect.stringContaining('| pinned by the serving image | 2099-12-31 |'),
    ]);
    const clear = renderPrComment(prResult([excepted]), {
      isChanged: () => true,
      headSha: SHA,
      scope: 'changed',
    });
    expect(clear).toContain(
      'No findings in the files this pull request changes: 2 references to 2 upstreams checked. 1 finding covered by policy exceptions.',
    );
  });
});
