// Answers the server's captcha challenges (docs/protocol.md SIGNUP, S_CAPTCHA): proof of work in a
// Web Worker with a progress bar, or an image the person reads.
import { fromBase64 } from './bytes.js';
import { $, show } from './ui.js';

function solveProofOfWork({ challenge, difficulty }) {
  return new Promise((resolve, reject) => {
    show('pow');
    const bar = $('pow-progress');
    bar.value = 0;
    const worker = new Worker('pow-worker.js', { type: 'module' });
    worker.onmessage = ({ data }) => {
      if (data.solution !== undefined) {
        bar.value = 1;
        worker.terminate();
        resolve(data.solution);
      } else {
        bar.value = data.progress;
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`the proof-of-work worker failed: ${e.message}`));
    };
    worker.postMessage({ challenge: fromBase64(challenge), difficulty });
  });
}

function askImage({ png }) {
  return new Promise((resolve) => {
    show('image-captcha');
    $('captcha-image').src = `data:image/png;base64,${png}`;
    const answer = $('captcha-answer');
    answer.value = '';
    answer.focus();
    $('image-captcha').onsubmit = (event) => {
      event.preventDefault();
      resolve(answer.value.trim());
    };
  });
}

/**
 * While the reply is a challenge (CAPTCHA, or CAPTCHA_WRONG carrying a fresh one), answers it with
 * S_CAPTCHA; returns the first other reply.
 */
export async function answerCaptchas(connection, reply) {
  try {
    while (reply.type === 'CAPTCHA' || (reply.type === 'STATUS' && reply.data?.sig === 'CAPTCHA_WRONG')) {
      const challenge = reply.data.challenge;
      show('captcha');
      show('pow', false);
      show('image-captcha', false);
      const solved = challenge.kind === 'pow' ? await solveProofOfWork(challenge) : await askImage(challenge);
      reply = await connection.request('S_CAPTCHA', { solved });
    }
    return reply;
  } finally {
    show('captcha', false);
  }
}
