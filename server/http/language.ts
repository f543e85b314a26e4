export type Lang = 'fr' | 'en';

/**
 * The unit works in French: French unless the client's first matching preference is English.
 * Accept-Language is "en-GB,en;q=0.9,fr;q=0.8": highest q wins, ties keep header order.
 */
export function pickLanguage(header: string | undefined): Lang {
  if (!header) return 'fr';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith('fr')) return 'fr';
    if (tag.startsWith('en')) return 'en';
  }
  return 'fr';
}
