// A loopback Newznab indexer (the kind of server Prowlarr's Newznab definitions talk to), for
// tests: `GET <url>/api?t=caps&apikey=…` answers the capabilities, `t=search` a small RSS feed.
// A wrong or missing key gets the Newznab error document with HTTP 200, the way Newznab/nZEDb
// servers answer; Prowlarr maps error codes 100–199 to "Credentials appears to be invalid"
// (verified against Prowlarr's NewznabRssParser.CheckError).
//
//   const nz = await startNewznab({ apiKey: 'k', categories: [2000, 5000] });
//   nz.url (base URL, the API path is /api), nz.log, await nz.close()
import { startFake } from './core/index.js';

/** Newznab standard categories the stand-in can advertise (parent → name). */
const NAMES = { 1000: 'Console', 2000: 'Movies', 3000: 'Audio', 4000: 'PC', 5000: 'TV', 6000: 'XXX', 7000: 'Books', 8000: 'Other' };
/** Two subcategories per parent, as real caps documents nest them (2040 = Movies/HD, 5040 = TV/HD …). */
const SUBS = [30, 40];

/** @param {number} id */
const categoryXml = (id) =>
  `<category id="${id}" name="${NAMES[/** @type {keyof typeof NAMES} */ (id)] ?? 'Other'}">${SUBS.map((s) => `<subcat id="${id + s}" name="${id + s}" />`).join('')}</category>`;

/**
 * @param {{ apiKey: string, categories?: number[], title?: string, results?: number }} options
 *   categories: parent ids (default Movies, Audio, TV); results: items per search (0 = an empty feed)
 */
export async function startNewznab(options) {
  const categories = options.categories ?? [2000, 3000, 5000];
  const title = options.title ?? 'Newznab stand-in';
  const results = options.results ?? 2;
  const caps = `<?xml version="1.0" encoding="UTF-8"?>
<caps><server version="1.0" title="${title}" /><limits max="100" default="100" /><registration available="no" open="no" /><searching><search available="yes" supportedParams="q" /><tv-search available="yes" supportedParams="q,rid,tvdbid,season,ep" /><movie-search available="yes" supportedParams="q,imdbid" /><audio-search available="yes" supportedParams="q" /></searching><categories>${categories.map(categoryXml).join('')}</categories></caps>`;
  const feed = () => {
    const items = Array.from({ length: results }, (_, i) => {
      const cat = (categories[i % categories.length] ?? 2000) + 40;
      return `<item><title>Release.${i + 1}.1080p</title><guid isPermaLink="false">stand-in-${i + 1}</guid><link>http://127.0.0.1/getnzb/${i + 1}.nzb</link><pubDate>${new Date().toUTCString()}</pubDate><enclosure url="http://127.0.0.1/getnzb/${i + 1}.nzb" length="1000000" type="application/x-nzb" /><newznab:attr name="category" value="${cat}" /><newznab:attr name="size" value="1000000" /></item>`;
    });
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:newznab="http://www.newznab.com/DTD/2010/feeds/attributes/"><channel><title>${title}</title>${items.join('')}</channel></rss>`;
  };
  const xml = (/** @type {string} */ body) => ({ status: 200, body, headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
  return startFake({
    name: 'newznab',
    state: {},
    handle: (req) => {
      if (req.path !== '/api') return { status: 404, body: 'Not Found' };
      const t = req.searchParams.get('t');
      if (req.searchParams.get('apikey') !== options.apiKey) {
        // Newznab answers a missing key on caps too; the code tells the client it is a credentials problem.
        return xml('<?xml version="1.0" encoding="UTF-8"?>\n<error code="100" description="Incorrect user credentials"/>');
      }
      if (t === 'caps') return xml(caps);
      if (t === 'search' || t === 'tvsearch' || t === 'movie' || t === 'music') return xml(feed());
      return xml('<?xml version="1.0" encoding="UTF-8"?>\n<error code="202" description="No such function"/>');
    },
  });
}
