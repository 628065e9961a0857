import {
  anchorLine,
  findingMarker,
  markedFingerprints,
  renderReviewComment,
  suggestedLine,
} from '../../src/reporters/review-comment.js';
import { PIN_FIX_FINDING, PIN_LINE, REMOTE_CODE_FINDING, SHA } from './pr-fixtures.js';

const FP = '0123456789abcdef0123456789abcdef';

describe('review comment', () => {
  it('applies a mechanical fix to the line as a suggestion', () => {
    expect(suggestedLine(PIN_FIX_FINDING, 12, PIN_LINE)).toBe(
      `    model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B-Instruct", revision="${SHA}")`,
    );
  });

  it('suggests nothing when the line no longer holds the text the fix replaces', () => {
    expect(suggestedLine(PIN_FIX_FINDING, 12, PIN_LINE.replace('"main"', '"dev"'))).toBeNull();
    expect(suggestedLine(PIN_FIX_FINDING, 13, PIN_LINE)).toBeNull();
    expect(suggestedLine(REMOTE_CODE_FINDING, 30, PIN_LINE)).toBeNull();
  });

  it('anchors on the fix line when there is a fix', () => {
    expect(anchorLine({ ...PIN_FIX_FINDING, line: 11 })).toBe(12);
    expect(anchorLine(REMOTE_CODE_FINDING)).toBe(30);
  });

  it('renders marker, finding, fix and suggestion block', () => {
    const body = renderReviewComment(PIN_FIX_FINDING, {
      fingerprint: FP,
      suggestion: suggestedLine(PIN_FIX_FINDING, 12, PIN_LINE),
    });
    expect(body).toMatchSnapshot();
    expect(markedFingerprints(body)).toEqual([FP]);
  });

  it('renders a finding without a fix', () => {
    expect(renderReviewComment(REMOTE_CODE_FINDING, { fingerprint: FP })).toMatchSnapshot();
  });

  it('fences the suggestion longer than any backtick run in the line', () => {
    const line = 'x = "```suggestion" + `y`';
    const body = renderReviewComment(PIN_FIX_FINDING, { fingerprint: FP, suggestion: line });
    expect(body).toContain(`\`\`\`\`suggestion\n${line}\n\`\`\`\``);
  });

  it('reads markers back, and ignores look-alikes', () => {
    expect(markedFingerprints(`${findingMarker(FP)}\ntext`)).toEqual([FP]);
    expect(markedFingerprints('<!-- llm-supply-chain-guard:finding nothex -->')).toEqual([]);
  });
});
