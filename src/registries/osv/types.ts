/** PLACEHOLDER: facts per package from osv; defined by the dependency work. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OsvUpstreams {}
