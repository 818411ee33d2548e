/**
 * Latin spellings of names typed in Cyrillic or Hangul, so `Москва` and `서울`
 * find what `moskva`/`moscow` and `seoul` find even for a town the store has
 * no name in that script for (GeoNames' alternate names are kept for cities
 * of 15,000 people or more, `city_names`); these two scripts romanize by rule
 * (Russian/Ukrainian BGN-style, Korean Revised Romanization), unlike Chinese
 * characters or kanji, which only those names find.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
  і: 'i',
  ї: 'i',
  є: 'ie',
  ґ: 'g',
};

const HANGUL_INITIALS = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'];
const HANGUL_VOWELS = [
  'a',
  'ae',
  'ya',
  'yae',
  'eo',
  'e',
  'yeo',
  'ye',
  'o',
  'wa',
  'wae',
  'oe',
  'yo',
  'u',
  'wo',
  'we',
  'wi',
  'yu',
  'eu',
  'ui',
  'i',
];
const HANGUL_FINALS = [
  '',
  'k',
  'k',
  'k',
  'n',
  'n',
  'n',
  't',
  'l',
  'k',
  'm',
  'l',
  'l',
  'l',
  'p',
  'l',
  'm',
  'p',
  'p',
  't',
  't',
  'ng',
  't',
  't',
  'k',
  't',
  'p',
  't',
];

/** `Москва` → "moskva", `서울` → "seoul"; null when the text has neither script (nothing to try). */
export function romanize(text: string): string | null {
  if (!/[\u0400-\u04ff\uac00-\ud7a3]/u.test(text)) return null;
  let out = '';
  for (const ch of text.toLowerCase()) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0xac00 && code <= 0xd7a3) {
      const s = code - 0xac00;
      out += `${HANGUL_INITIALS[Math.floor(s / 588)]}${HANGUL_VOWELS[Math.floor((s % 588) / 28)]}${HANGUL_FINALS[s % 28]}`;
    } else {
      out += CYRILLIC[ch] ?? ch;
    }
  }
  return out;
}
