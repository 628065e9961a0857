/** PLACEHOLDER: Hub facts per upstream; defined by the Hub provenance work. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HubUpstreams {}
