// Writes twitter-text 3.1.0's own answers for the texts below as JSON, for
// xurls_test.go: parseTweet with its default (v3) configuration and
// extractUrlsWithIndices on the NFC form of each text.
//
//   npm install twitter-text@3.1.0
//   node generate.js > cases.json
//
// The texts are the hand-picked ones, then random ones made of fragments that
// stress the URL rules, from a fixed seed so that the file comes out the same.
// Emoji are limited to those twitter-text's emoji list knows (Unicode 11).
'use strict';
const tt = require('twitter-text');

const picked = [
  // Where Kaiku and twitter-text disagreed.
  'Kunnallisvaalien äänestys📅caféwww.yle.fi kertoo lisää.',
  '…äänestys📅caféwww.yle.fi:80',
  'äänestys📅caféwww.yle.fi?x=1',
  'Kolme vinkkiä: 1️⃣hs.fi/talous 2️⃣yle.fi 3️⃣kaiku.app',
  '/polku日1️⃣hs.fi',
  '_📅1️⃣hs.fi',
  'kaiku.app:1️⃣hs.fi-😀',
  'Vanha arkisto 😀ftp://example.com/arkisto on suljettu.',
  '😀ftp://example.com日kaiku.app',
  'kaiku.app?x=1😀ftp://example.com…',
  'Katso日.hs.fi ja muut',
  'Uusi osoite:kaiku.app?ref=some',
  'Ks.lisää yle.fi:8080 ja hs.fi?x=1',
  'Lue lisää: https://example.gr/ιστορία',
  '😀-hs.fi',
  'ɠa.fi ɠ.fi',
  'https://пример.ДЕТИ',
  'ДЕТИ.РФ',
  'httpſ://hs.fi/x',
  'a.com日😀.fi/p',
  'a.fix日.a.fi/polku',
  // What both always agreed on.
  'Tilaisuus ma 9.12.klo 10 www.kaiku.app',
  'Tervetuloa!Kaiku.app',
  'https://kaiku.app/ohjeet?x=1',
  'Lue kaiku.app/ohjeet nyt',
  'anna@kaiku.app @kaiku.app #kaiku.app a/kaiku.app -kaiku.app a_kaiku.app',
  'https://t.co/abc123 https://t.co/abc/def',
  'https://fi.wikipedia.org/wiki/Kaiku_(sovellus)',
  'https://例え.みんな 例え.みんな',
  // Length limits: 4096 for a link, 63 for a label.
  'https://kaiku.app/' + 'a'.repeat(4070),
  'https://kaiku.app/' + 'a'.repeat(4071),
  'kaiku.app/' + 'a'.repeat(4070),
  '😀kaiku.app/' + 'a'.repeat(4080),
  'x😀' + 'a'.repeat(61) + '.fi',
  'x😀' + 'a'.repeat(62) + '.fi',
  'https://' + 'ä'.repeat(57) + '.fi',
  'https://' + 'ä'.repeat(58) + '.fi',
];

const fragments = [
  'a', 'Z', 'ä', 'é', 'ß', 'ı', 'ſ', 'ɠ', 'ι', 'Ω', 'ж', 'ДЕТИ', '日', '😀', '📅', '1️⃣', '🇫🇮', '👍🏽', '❤️', '👨‍👩‍👧',
  '…', '–', ' ', '\n', '.', '.', '.', '..', '/', '-', '_', '@', '#', '$', '＠', ':', '://', '`', '"', '。',
  'http://', 'https://', 'HTTP://', 'ftp://', 'www.', 'yle.fi', 'hs.fi', 'example.com', 'kaiku.app', 't.co/abc',
  'co.uk', 'fi', 'com', 'app', 'みんな', 'рф', 'xn--p1ai', 'xn--', '/polku', '?q=1', ':8080', '(x)', '(', ')',
  '/a_(b)', '(a(b)c)', '@x/', '!', '?', ',', ';', "'", '=', '&', '%', '~', '|', '+', '*', '[', ']', '0', '42',
  '\u200e', '\u202a', '\u00a0', '\u3000', '\u0085', '\u0301', 'a'.repeat(40),
];

// mulberry32, a small seeded generator.
let seed = 20261201;
function random() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const texts = picked.slice();
while (texts.length < picked.length + 2500) {
  let s = '';
  for (let k = 2 + Math.floor(random() * 12); k > 0; k--) {
    s += fragments[Math.floor(random() * fragments.length)];
  }
  if (s.trim() !== '' && /[^\u0000-\u0020]/.test(s)) {
    texts.push(s);
  }
}

const cases = texts.map((text) => {
  const r = tt.parseTweet(text);
  const urls = tt.extractUrlsWithIndices(text.normalize()).map((u) => u.indices);
  return { text, weightedLength: r.weightedLength, valid: r.valid, urls };
});
process.stdout.write('[\n' + cases.map((c) => JSON.stringify(c)).join(',\n') + '\n]\n');
