import {
  canonicalLicenseId,
  checkLicense,
  HUB_LICENSE_IDS,
  licenseMatcher,
  lineageGap,
  normalizeLicense,
  type LicenseMatcher,
} from '../../src/policy/licenses.js';

function matchers(...entries: string[]): LicenseMatcher[] {
  return entries.map((e) => {
    const m = licenseMatcher(e);
    if ('error' in m) throw new Error(m.error);
    return m;
  });
}

const lic = (license: string | string[] | null, licenseName?: string) =>
  normalizeLicense({ license, licenseName });

describe('licence ids', () => {
  it('maps every Hub id to SPDX (any case) or to a Hub LicenseRef', () => {
    const mapped = Object.fromEntries(HUB_LICENSE_IDS.map((id) => [id, canonicalLicenseId(id)]));
    expect(mapped).toMatchObject({
      'apache-2.0': 'Apache-2.0',
      mit: 'MIT',
      'cc-by-nc-4.0': 'CC-BY-NC-4.0',
      'cc-by-nc-sa-4.0': 'CC-BY-NC-SA-4.0',
      'bsd-3-clause-clear': 'BSD-3-Clause-Clear',
      'c-uda': 'C-UDA-1.0',
      'odc-by': 'ODC-By-1.0',
      odbl: 'ODbL-1.0',
      pddl: 'PDDL-1.0',
      'lgpl-lr': 'LGPLLR',
      'agpl-3.0': 'AGPL-3.0',
      'openmdw-1.0': 'OpenMDW-1.0',
      'etalab-2.0': 'etalab-2.0',
      postgresql: 'PostgreSQL',
      'llama3.1': 'LicenseRef-hf-llama3.1',
      gemma: 'LicenseRef-hf-gemma',
      'openrail++': 'LicenseRef-hf-openrailpp',
      'creativeml-openrail-m': 'LicenseRef-hf-creativeml-openrail-m',
      bsd: 'LicenseRef-hf-bsd',
      unknown: 'LicenseRef-hf-unknown',
    });
    expect(Object.values(mapped).filter((v) => v === null)).toEqual([]);
  });

  it('normalises what cards declare: Hub ids, lists, other + license_name, free text', () => {
    expect(lic('llama3.1')).toEqual({ label: 'llama3.1', expression: 'LicenseRef-hf-llama3.1' });
    expect(lic(['apache-2.0', 'mit'])).toEqual({
      label: 'apache-2.0 OR mit',
      expression: '(Apache-2.0) OR (MIT)',
    });
    expect(lic('apache-2.0 OR mit')).toEqual({
      label: 'apache-2.0 OR mit',
      expression: 'Apache-2.0 OR MIT',
    });
    expect(lic('other', 'Qwen')).toEqual({
      label: 'other (Qwen)',
      expression: 'LicenseRef-other-qwen',
    });
    expect(lic('other')).toEqual({ label: 'other', expression: 'LicenseRef-hf-other' });
    expect(lic('Custom licence v2')).toEqual({
      label: 'Custom licence v2',
      expression: 'LicenseRef-declared-custom-licence-v2',
    });
    expect(lic(null)).toEqual({ label: 'none', expression: null });
    expect(lic([])).toEqual({ label: 'none', expression: null });
  });

  it('expands globs in policy entries against SPDX and Hub ids', () => {
    const m = licenseMatcher('cc-by-nc-*');
    expect('ids' in m && m.ids).toEqual(
      expect.arrayContaining([
        'CC-BY-NC-4.0',
        'CC-BY-NC-SA-4.0',
        'CC-BY-NC-ND-3.0',
        'CC-BY-NC-2.0',
      ]),
    );
    expect('ids' in m && m.ids.filter((id) => !id.startsWith('CC-BY-NC'))).toEqual([]);
  });
});

describe('checkLicense', () => {
  const commercial = {
    allow: matchers('Apache-2.0', 'mit', 'llama3.1', 'other:qwen', 'GPL-2.0+'),
    deny: matchers('cc-by-nc-*', 'AGPL-3.0'),
  };

  it('accepts allowed licences, in any case and through OR', () => {
    expect(checkLicense(lic('apache-2.0'), commercial)).toEqual({ ok: true });
    expect(checkLicense(lic('llama3.1'), commercial)).toEqual({ ok: true });
    expect(checkLicense(lic('other', 'Qwen'), commercial)).toEqual({ ok: true });
    expect(checkLicense(lic('gpl-3.0'), commercial)).toEqual({ ok: true }); // GPL-2.0+
    expect(checkLicense(lic('MIT OR cc-by-nc-4.0'), commercial)).toEqual({ ok: true });
    expect(checkLicense(lic(['cc-by-nc-4.0', 'mit']), commercial)).toEqual({ ok: true });
  });

  it('denies what a deny entry matches when there is no way around it', () => {
    expect(checkLicense(lic('cc-by-nc-4.0'), commercial)).toEqual({
      ok: false,
      reason: 'denied',
      deniedBy: ['cc-by-nc-*'],
    });
    expect(checkLicense(lic('MIT AND cc-by-nc-sa-4.0'), commercial)).toEqual({
      ok: false,
      reason: 'denied',
      deniedBy: ['cc-by-nc-*'],
    });
  });

  it('flags what the allow list does not name, including nothing declared', () => {
    expect(checkLicense(lic('gemma'), commercial)).toEqual({ ok: false, reason: 'not-allowed' });
    expect(checkLicense(lic('other', 'deepseek'), commercial)).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(checkLicense(lic(null), commercial)).toEqual({ ok: false, reason: 'not-allowed' });
    expect(checkLicense(lic(null), { allow: matchers('MIT', 'unknown'), deny: [] })).toEqual({
      ok: true,
    });
  });

  it('with only a deny list, anything else passes; "other" matches every named other', () => {
    const denyOnly = { allow: null, deny: matchers('other') };
    expect(checkLicense(lic('gemma'), denyOnly)).toEqual({ ok: true });
    expect(checkLicense(lic(null), denyOnly)).toEqual({ ok: true });
    expect(checkLicense(lic('other', 'qwen'), denyOnly)).toEqual({
      ok: false,
      reason: 'denied',
      deniedBy: ['other'],
    });
  });
});

describe('lineageGap', () => {
  it('flags a permissive derivative of a restricted base, with what it drops', () => {
    expect(lineageGap(lic('apache-2.0'), lic('llama3.1'))).toEqual({
      dropped: ['use-restrictions', 'custom:llama'],
      certain: true,
    });
    expect(lineageGap(lic('mit'), lic('cc-by-nc-4.0'))).toEqual({
      dropped: ['non-commercial'],
      certain: true,
    });
    expect(lineageGap(lic('apache-2.0'), lic('cc-by-sa-4.0'))).toEqual({
      dropped: ['share-alike'],
      certain: true,
    });
    expect(lineageGap(lic('llama3.1'), lic('gemma'))).toEqual({
      dropped: ['custom:gemma'],
      certain: true,
    });
  });

  it('accepts derivatives that keep the obligations', () => {
    expect(lineageGap(lic('llama3.2'), lic('llama3.1'))).toBeNull();
    expect(lineageGap(lic('llama3.1'), lic('apache-2.0'))).toBeNull();
    expect(lineageGap(lic('cc-by-nc-sa-4.0'), lic('cc-by-nc-4.0'))).toBeNull();
    expect(lineageGap(lic('creativeml-openrail-m'), lic('openrail++'))).toBeNull();
    expect(lineageGap(lic('mit'), lic('apache-2.0'))).toBeNull();
    expect(lineageGap(lic('apache-2.0'), lic('mit OR cc-by-nc-4.0'))).toBeNull();
    expect(lineageGap(lic('apache-2.0'), lic(null))).toBeNull();
    expect(lineageGap(lic('apache-2.0'), lic('unknown'))).toBeNull();
  });

  it('a no-derivatives base fails even under its own licence', () => {
    expect(lineageGap(lic('cc-by-nd-4.0'), lic('cc-by-nd-4.0'))).toEqual({
      dropped: ['no-derivatives'],
      certain: true,
    });
  });

  it('is uncertain when the derived licence is custom, unrecognised or missing', () => {
    expect(lineageGap(lic('other', 'my-terms'), lic('llama3.1'))).toEqual({
      dropped: ['use-restrictions', 'custom:llama'],
      certain: false,
    });
    expect(lineageGap(lic(null), lic('gemma'))).toEqual({
      dropped: ['use-restrictions', 'custom:gemma'],
      certain: false,
    });
    expect(lineageGap(lic('apache-2.0'), lic('other', 'qwen'))).toEqual({
      dropped: ['custom:qwen'],
      certain: false,
    });
    expect(lineageGap(lic('other', 'qwen'), lic('other', 'Qwen'))).toBeNull();
  });
});
