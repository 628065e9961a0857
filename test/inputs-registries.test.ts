import { ConfigurationError } from '../src/errors.js';
import { readInputs } from '../src/inputs.js';
import { tempRepo } from './helpers.js';

describe('registry endpoint inputs', () => {
  const repo = tempRepo({ 'requirements.txt': 'torch==2.6.0\n' });
  afterAll(() => repo.cleanup());
  const env = (inputs: Record<string, string>) => ({
    GITHUB_WORKSPACE: repo.root,
    RUNNER_TEMP: '/runner/_temp',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  });

  it('defaults to the public registries', () => {
    const { online } = readInputs(env({}));
    expect([online.pypiEndpoint, online.npmEndpoint, online.osvEndpoint]).toEqual([
      'https://pypi.org',
      'https://registry.npmjs.org',
      'https://api.osv.dev',
    ]);
  });

  it('takes mirrors from pypi-endpoint, npm-endpoint and osv-endpoint', () => {
    const { online } = readInputs(
      env({
        'pypi-endpoint': 'https://pypi.internal/',
        'npm-endpoint': 'https://npm.internal/registry',
        'osv-endpoint': 'http://osv.internal:8080',
      }),
    );
    expect([online.pypiEndpoint, online.npmEndpoint, online.osvEndpoint]).toEqual([
      'https://pypi.internal',
      'https://npm.internal/registry',
      'http://osv.internal:8080',
    ]);
  });

  it('names the invalid input', () => {
    expect(() => readInputs(env({ 'osv-endpoint': 'osv.dev' }))).toThrow(
      new ConfigurationError('Input "osv-endpoint" must be an http(s) URL; got "osv.dev".'),
    );
  });
});
