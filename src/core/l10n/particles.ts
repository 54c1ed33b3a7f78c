/**
 * Korean particles that depend on the word before them: 이/가, 을/를, 은/는, 과/와, 으로/로, 이나/나, 이라/라.
 * The choice follows how a Korean reader says that word aloud: a Hangul syllable's final consonant, a number as
 * it is read (1 일, 3 삼, 10 십, 9190 구천백구십), a Latin identifier or an acronym as Korean engineers say it
 * (socket 소켓, bind 바인드, TCP 티씨피). The ㄹ final takes 로, as with a vowel.
 */

/** What the reader hears at the end of a word. */
export type FinalSound = 'vowel' | 'rieul' | 'consonant';

/** Each particle family: [after a consonant, after a vowel]. */
const FAMILIES: readonly (readonly [string, string])[] = [
  ['이', '가'],
  ['을', '를'],
  ['은', '는'],
  ['과', '와'],
  ['으로', '로'],
  ['이나', '나'],
  ['이라', '라'],
];

export const PARTICLES: readonly string[] = FAMILIES.flat();

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
const RIEUL_FINAL = 8;

function hangulFinal(char: string): FinalSound {
  const jong = (char.charCodeAt(0) - HANGUL_FIRST) % 28;
  if (jong === 0) return 'vowel';
  return jong === RIEUL_FINAL ? 'rieul' : 'consonant';
}

/** The last sound of the digits 0..9 read alone: 영 공… (0 영), 일, 이, 삼, 사, 오, 육, 칠, 팔, 구. */
const DIGIT_FINALS: readonly FinalSound[] = ['consonant', 'rieul', 'vowel', 'consonant', 'vowel', 'vowel', 'consonant', 'rieul', 'rieul', 'vowel'];

/**
 * A whole number read in Korean ends with its last non-zero digit, or with the place word of its trailing
 * zeros: 십 (10), 백 (100), 천 (1000), 만 (10⁴…10⁷), 억 (10⁸…10¹¹), 조 (10¹²…).
 */
function numberFinal(digits: string): FinalSound {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (/^0+$/.test(trimmed)) return DIGIT_FINALS[0];
  const zeros = trimmed.length - trimmed.replace(/0+$/, '').length;
  if (zeros === 0) return DIGIT_FINALS[Number(trimmed[trimmed.length - 1])];
  if (zeros === 1 || zeros === 2 || zeros === 3) return 'consonant'; // 십, 백, 천
  if (zeros < 12) return 'consonant'; // 만, 억
  return 'vowel'; // 조
}

/** Latin letters spelled out (acronyms, single letters): all end in a vowel but L 엘, R 알 (ㄹ), M 엠, N 엔. */
function letterFinal(letter: string): FinalSound {
  const l = letter.toLowerCase();
  if (l === 'l' || l === 'r') return 'rieul';
  if (l === 'm' || l === 'n') return 'consonant';
  return 'vowel';
}

const VOWEL_LETTERS = /[aeiou]/;

/**
 * An English word as a Korean loanword ends: stream 스트림 (ㅁ), listen 리슨 (ㄴ), string 스트링 (ㅇ), kill 킬 and
 * file 파일 (ㄹ), socket 소켓 / sock 삭 / stop 스탑 (a short vowel then t, k, c or p: a final consonant);
 * bind 바인드, connect 커넥트, accept 억셉트, close 클로즈, server 서버, pipe 파이프 end in a vowel.
 */
function wordFinal(word: string): FinalSound {
  const w = word.toLowerCase();
  if (!VOWEL_LETTERS.test(w.replace(/y$/, ''))) return letterFinal(w[w.length - 1]); // tcp, fd, rst: spelled out
  if (/(?:m|me)$/.test(w)) return 'consonant';
  if (/(?:ng|n|ne)$/.test(w)) return 'consonant';
  if (/(?:l|[^aeiou]le|ile|ale|ole|ule)$/.test(w)) return 'rieul';
  if (/(?:ck|out)$/.test(w)) return 'consonant'; // 블록, 아웃
  if (/(?:^|[^aeiou])[aeiou][tkpc]$/.test(w)) return 'consonant';
  return 'vowel';
}

/** The last word of an identifier: SOCK_STREAM → STREAM, sockAddr → Addr, clnt_sock → sock. */
function lastIdentifierPart(identifier: string): string {
  const parts = identifier.split(/_+/).filter(Boolean);
  const last = parts[parts.length - 1] ?? identifier;
  const camel = last.match(/[A-Z]?[a-z]+$|[A-Z]+$/);
  return camel ? camel[0] : last;
}

/** Markup and punctuation a reader does not pronounce at the end: `code`, **bold**, call(), quotes, brackets. */
const SILENT_TAIL = /(?:\(\)|[`*_'"’”)\]}>.,:;!?\s])+$/;

/** The final sound of the word a particle follows; null when there is nothing to read (empty text). */
export function finalSound(text: string): FinalSound | null {
  const spoken = text.replace(SILENT_TAIL, '');
  if (!spoken) return null;
  const last = spoken[spoken.length - 1];
  const code = last.charCodeAt(0);
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) return hangulFinal(last);
  const number = spoken.match(/(\d+)$/);
  if (number) {
    const hex = spoken.match(/0x[0-9a-f]+$/i);
    return hex ? letterOrDigitFinal(hex[0].slice(2)) : numberFinal(number[1]);
  }
  const identifier = spoken.match(/[A-Za-z_][A-Za-z0-9_]*$/);
  if (identifier) {
    const part = lastIdentifierPart(identifier[0]);
    return part.length === 1 ? letterFinal(part) : wordFinal(part);
  }
  return null;
}

function letterOrDigitFinal(hexDigits: string): FinalSound {
  const last = hexDigits[hexDigits.length - 1];
  return /\d/.test(last) ? DIGIT_FINALS[Number(last)] : letterFinal(last);
}

/** The member of `particle`'s family that fits after `word` (the consonant form when the word cannot be read). */
export function particleAfter(word: string, particle: string): string {
  const family = FAMILIES.find((f) => f.includes(particle));
  if (!family) throw new Error(`not a Korean particle with two forms: ${particle}`);
  const sound = finalSound(word);
  if (sound === 'vowel') return family[1];
  if (sound === 'rieul' && family[0] === '으로') return family[1];
  if (sound === null) return particle;
  return family[0];
}

/** `word` followed by the right form of `particle`: withParticle('클라이언트 1', '가') → '클라이언트 1이'. */
export function withParticle(word: string, particle: string): string {
  return word + particleAfter(word, particle);
}
