import { cvss3BaseScore, cvssSeverity } from '../../src/util/cvss.js';

describe('cvss3BaseScore', () => {
  // Scores as published with each vector (NVD / FIRST calculator).
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L', 5.3],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ])('%s → %d', (vector, score) => {
    expect(cvss3BaseScore(vector)).toBe(score);
  });

  it('does not score v4 or malformed vectors', () => {
    expect(
      cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
    ).toBeNull();
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L')).toBeNull();
  });

  it('rates scores', () => {
    expect([9.8, 7.8, 5.3, 0.1, 0].map(cvssSeverity)).toEqual([
      'critical',
      'high',
      'medium',
      'low',
      'info',
    ]);
  });
});
