// Runs the proof of work off the page's thread and reports progress (tries so far against the
// expected 2^difficulty).
import { solve } from './pow.js';

self.onmessage = ({ data: { challenge, difficulty } }) => {
  const expected = 2 ** difficulty;
  const solution = solve(challenge, difficulty, (tries) => self.postMessage({ progress: Math.min(0.99, tries / expected) }));
  self.postMessage({ solution });
};
