import { planUpdates } from '../../src/github/update-prs.js';
import {
  filesOfCommitMessage,
  markClosedByAction,
  parseUpdateMarker,
  renderUpdatePr,
  updateCommitMessage,
  updateMarker,
  updateTitle,
} from '../../src/reporters/update-pr.js';
import { driftResult, HEAD, PIN } from './drift-fixtures.js';

const plans = planUpdates(driftResult(), { repoPath: (f) => f, packages: true });
const model = plans.find((p) => p.kind === 'model')!;
const pkg = plans.find((p) => p.kind === 'package')!;

describe('update pull request body', () => {
  it('lists files, the upstream commits in between, the licence change and other findings', () => {
    const body = renderUpdatePr(model, {
      applied: model.edits,
      skipped: [],
      baseBranch: 'main',
      blobUrl: 'https://github.com/Codertocat/Hello-World/blob/main',
    });
    expect(body).toMatchSnapshot();
  });

  it('names the advisories a package bump fixes, and the pins left alone', () => {
    const body = renderUpdatePr(pkg, {
      applied: pkg.edits,
      skipped: [
        {
          edit: { ...pkg.edits[0]!, file: 'extra/requirements.txt' },
          reason: 'line 2 no longer has "==4.36.0" at column 13 on main',
        },
      ],
      baseBranch: 'main',
    });
    expect(body).toMatchSnapshot();
  });

  it('titles by kind, with a short sha for the Hub', () => {
    expect(updateTitle(model)).toBe(`Update model acme-labs/support-bot to ${HEAD.slice(0, 7)}`);
    expect(updateTitle(pkg)).toBe('Update transformers to 4.44.2');
  });
});

describe('markers and commit messages', () => {
  it('round-trips the marker, ids that could end an HTML comment included', () => {
    const marker = updateMarker('npm:package:@scope/x-->y', '1.0.0');
    expect(marker).not.toContain('x-->');
    expect(parseUpdateMarker(`text\n${marker}\n`)).toEqual({
      key: 'npm:package:@scope/x-->y',
      target: '1.0.0',
      closedByAction: false,
    });
    expect(
      parseUpdateMarker(markClosedByAction(marker, 'npm:package:@scope/x-->y', '1.0.0')),
    ).toMatchObject({ closedByAction: true });
    expect(parseUpdateMarker('no marker')).toBeNull();
  });

  it('names the edited files in the commit message, with a trailer to tell our commits apart', () => {
    const message = updateCommitMessage(model, model.edits);
    expect(message).toBe(
      [
        `Update model acme-labs/support-bot to ${HEAD.slice(0, 7)}`,
        '',
        '- adapter/adapter_config.json',
        '- train.py',
        '',
        'Llm-Supply-Chain-Guard-Update: huggingface:model:acme-labs/support-bot',
        '',
      ].join('\n'),
    );
    expect(filesOfCommitMessage(message)).toEqual(['adapter/adapter_config.json', 'train.py']);
    expect(filesOfCommitMessage('Fix a typo\n\n- train.py\n')).toBeNull();
  });
});

describe('planUpdates', () => {
  it('plans one update per upstream whose pin fell behind, most severe first', () => {
    expect(plans.map((p) => [p.key, p.branch, p.target, p.severity])).toEqual([
      ['pypi:package:transformers', 'llm-supply-chain/pypi/transformers', '4.44.2', 'high'],
      [
        'huggingface:model:acme-labs/support-bot',
        'llm-supply-chain/huggingface/acme-labs/support-bot',
        HEAD,
        'medium',
      ],
    ]);
    expect(model.edits.map((e) => [e.file, e.line, e.column, e.from, e.to])).toEqual([
      ['adapter/adapter_config.json', 3, 16, PIN, HEAD],
      ['train.py', 3, 40, PIN, HEAD],
    ]);
    // The higher of the two proposals for one span wins: the latest release over the fix.
    expect(pkg.edits.map((e) => [e.file, e.from, e.to])).toEqual([
      ['requirements.txt', '==4.36.0', '==4.44.2'],
    ]);
    expect(model.licence).toEqual({ from: 'apache-2.0', to: 'other (acme-research-only)' });
  });

  it('leaves packages out unless asked, and proposes nothing for suppressed findings', () => {
    expect(
      planUpdates(driftResult(), { repoPath: (f) => f, packages: false }).map((p) => p.kind),
    ).toEqual(['model']);
    const suppressed = driftResult().findings.map((f) =>
      f.rule === 'revision-drift' ? { ...f, suppressed: { reason: 'vendor freeze' } } : f,
    );
    expect(planUpdates(driftResult(suppressed), { repoPath: (f) => f, packages: false })).toEqual(
      [],
    );
  });

  it('maps scan paths to repository paths', () => {
    const [p] = planUpdates(driftResult(), { repoPath: (f) => `ml/${f}`, packages: false });
    expect(p!.edits.map((e) => e.file)).toEqual(['ml/adapter/adapter_config.json', 'ml/train.py']);
  });
});
