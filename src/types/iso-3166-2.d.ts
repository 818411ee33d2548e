/** The few parts of `iso-3166-2` (no bundled types) that the gazetteer uses. */
declare module 'iso-3166-2' {
  interface Subdivision {
    type: string;
    name: string;
    countryName: string;
    countryCode: string;
    code: string;
    regionCode: string;
  }
  const iso: {
    subdivision(country: string, code: string): Subdivision | null;
    data: Record<string, { name: string; sub: Record<string, { type: string; name: string }> }>;
  };
  export default iso;
}
