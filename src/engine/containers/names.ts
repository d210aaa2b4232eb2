import { randomInt } from 'node:crypto';

/**
 * Names like Docker's: adjective_surname. Our own lists: adjectives a reader can picture, and
 * people who shaped computing, mathematics and science.
 */
const adjectives = [
  'agile', 'amber', 'ardent', 'bold', 'brave', 'bright', 'calm', 'candid', 'clever', 'cosmic',
  'crisp', 'curious', 'daring', 'deft', 'eager', 'earnest', 'elated', 'epic', 'fearless', 'fervent',
  'focused', 'frosty', 'gentle', 'gifted', 'glad', 'golden', 'happy', 'hardy', 'hopeful', 'humble',
  'jolly', 'keen', 'kind', 'lively', 'lucid', 'lucky', 'merry', 'mellow', 'mighty', 'modest',
  'nimble', 'noble', 'patient', 'placid', 'plucky', 'polite', 'proud', 'quick', 'quiet', 'radiant',
  'rapid', 'serene', 'sharp', 'shiny', 'silent', 'sleepy', 'snappy', 'steady', 'stoic', 'sunny',
  'swift', 'tender', 'tidy', 'tranquil', 'trusty', 'upbeat', 'vibrant', 'vivid', 'warm', 'wise',
  'witty', 'zealous', 'zen',
];

const surnames = [
  'agnesi', 'allen', 'babbage', 'backus', 'bardeen', 'bartik', 'bell', 'blackwell', 'boole', 'borg',
  'cerf', 'chandrasekhar', 'clarke', 'codd', 'conway', 'curie', 'dijkstra', 'easley', 'einstein',
  'euler', 'faraday', 'fermat', 'feynman', 'franklin', 'galois', 'gauss', 'goldberg', 'goodall',
  'hamilton', 'hawking', 'hodgkin', 'hopper', 'hypatia', 'jackson', 'johnson', 'kare', 'kepler',
  'knuth', 'kowalevski', 'lamarr', 'lamport', 'leavitt', 'liskov', 'lovelace', 'maxwell', 'mayer',
  'mccarthy', 'meitner', 'mirzakhani', 'morse', 'napier', 'newton', 'noether', 'pascal', 'perlman',
  'pike', 'poincare', 'ramanujan', 'ritchie', 'shannon', 'shaw', 'sinoussi', 'somerville', 'tesla',
  'thompson', 'torvalds', 'turing', 'vaughan', 'volhard', 'wescoff', 'wilson', 'wing', 'wozniak',
  'yalow', 'yonath',
];

export function generateName(taken: (name: string) => boolean = () => false): string {
  for (let i = 0; i < 20; i++) {
    const name = `${adjectives[randomInt(adjectives.length)]}_${surnames[randomInt(surnames.length)]}`;
    if (!taken(name)) return name;
  }
  // Crowded: add digits as Docker does on retry.
  return `${adjectives[randomInt(adjectives.length)]}_${surnames[randomInt(surnames.length)]}${randomInt(1000)}`;
}
