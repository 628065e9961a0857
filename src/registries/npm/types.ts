/** PLACEHOLDER: facts per package from npm; defined by the dependency work. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NpmUpstreams {}
