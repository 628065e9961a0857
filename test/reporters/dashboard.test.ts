import {
  composeDashboardBody,
  DASHBOARD_END_MARKER,
  DASHBOARD_MARKER,
  DEFAULT_NOTES,
  generatedBudget,
  ISSUE_BODY_LIMIT,
  notesOf,
  renderDashboard,
  upstreamKey,
} from '../../src/reporters/dashboard.js';
import type { Finding } from '../../src/types.js';
import { DRIFT_FINDINGS, driftResult, SCANNED } from './drift-fixtures.js';

const OPTIONS = {
  sha: SCANNED,
  blobUrl: `https://github.com/Codertocat/Hello-World/blob/${SCANNED}`,
  commitUrl: `https://github.com/Codertocat/Hello-World/commit/${SCANNED}`,
};

describe('renderDashboard', () => {
  it('renders headline counts and one table per upstream kind, most severe first', () => {
    const content = renderDashboard(driftResult(), {
      ...OPTIONS,
      pullRequests: new Map([
        [
          'huggingface:model:acme-labs/support-bot',
          { number: 14, url: 'https://github.com/Codertocat/Hello-World/pull/14' },
        ],
      ]),
    });
    expect(content.empty).toBe(false);
    expect(content.overflow).toBeNull();
    expect(content.omitted).toBe(0);
    expect(content.body).toMatchSnapshot();
  });

  it('keeps upstream text as text: no HTML, mentions or links from a message', () => {
    const { body } = renderDashboard(driftResult(), OPTIONS);
    expect(body).not.toContain('<b>');
    expect(body).toContain('&lt;b&gt;here&lt;/b&gt;');
  });

  it('turns into a short all-clear once only suppressed findings are left', () => {
    const content = renderDashboard(
      driftResult(DRIFT_FINDINGS.filter((f) => f.suppressed)),
      OPTIONS,
    );
    expect(content.empty).toBe(true);
    expect(content.body).toMatchSnapshot();
  });

  it('puts the rows that do not fit in the overflow, for the job summary', () => {
    const many: Finding[] = Array.from({ length: 400 }, (_, i) => ({
      rule: 'unpinned-revision',
      severity: 'medium',
      message: `Model org/model-${i} has no revision.`,
      file: `configs/model-${String(i).padStart(3, '0')}.yml`,
      line: 1,
      column: 1,
      id: `org/model-${String(i).padStart(3, '0')}`,
      ecosystem: 'huggingface',
      kind: 'model',
    }));
    const content = renderDashboard(driftResult(many), { ...OPTIONS, maxLength: 20_000 });
    expect(content.body.length).toBeLessThanOrEqual(20_000);
    expect(content.omitted).toBeGreaterThan(0);
    const shown = (content.body.match(/^\| 🟨 medium \| \[org\/model-/gm) ?? []).length;
    const spilled = (content.overflow?.match(/^\| 🟨 medium \| \[org\/model-/gm) ?? []).length;
    expect(shown + spilled).toBe(400);
    expect(spilled).toBe(content.omitted);
    expect(content.body).toContain(
      `_${content.omitted} more rows do not fit in an issue; the job summary of the latest drift run lists them._`,
    );
    expect(content.overflow!.startsWith('## Dashboard rows that did not fit in the issue')).toBe(
      true,
    );
  });

  it("fits under the issue body limit next to the people's notes, at full size", () => {
    const many: Finding[] = Array.from({ length: 2000 }, (_, i) => ({
      ...(DRIFT_FINDINGS[4] as Finding),
      id: `org/dataset-${i}`,
      file: `configs/d${i}.yml`,
    }));
    const notes = `${DEFAULT_NOTES}\n${'Our notes. '.repeat(1000)}\n`;
    const content = renderDashboard(driftResult(many), {
      ...OPTIONS,
      maxLength: generatedBudget(notes),
    });
    expect(composeDashboardBody(content.body, notes).length).toBeLessThan(ISSUE_BODY_LIMIT);
    expect(content.omitted).toBeGreaterThan(0);
  });
});

describe("dashboard body and the people's notes", () => {
  it('keeps everything below the end marker byte for byte', () => {
    const notes = '\n---\nOwner: @ml-platform\r\n\n- [ ] decide on alpaca by Friday\n';
    const body = composeDashboardBody(`${DASHBOARD_MARKER}\nold`, notes);
    expect(notesOf(body)).toBe(notes);
    expect(body.startsWith(DASHBOARD_MARKER)).toBe(true);
    expect(body).toContain(`old\n${DASHBOARD_END_MARKER}\n---\nOwner`);
  });

  it('has no notes when someone removed the end marker', () => {
    expect(notesOf(`${DASHBOARD_MARKER}\nedited away`)).toBeNull();
  });

  it('keys rows by ecosystem, kind and id', () => {
    expect(upstreamKey({ ecosystem: 'huggingface', kind: 'dataset', id: 'a/b' })).toBe(
      'huggingface:dataset:a/b',
    );
  });
});
