// The queue's proof of work (ALTCHA v1, SHA-256): find `number` with
// sha256(salt + number) = challenge, then let the join form be sent with the answer.
(function () {
  'use strict';
  const form = document.querySelector('form[data-queue-join][data-challenge]');
  if (!form || !window.crypto || !window.crypto.subtle) return;
  const button = form.querySelector('button[type=submit]');
  const status = form.querySelector('[data-queue-proof-status]');
  const encoder = new TextEncoder();

  async function sha256Hex(text) {
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join(
      '',
    );
  }

  async function solve() {
    const response = await fetch(form.dataset.challenge, { credentials: 'same-origin' });
    if (!response.ok) throw new Error('no challenge');
    const challenge = await response.json();
    for (let number = 0; number <= challenge.maxnumber; number++) {
      if ((await sha256Hex(challenge.salt + number)) === challenge.challenge) {
        const payload = {
          algorithm: challenge.algorithm,
          challenge: challenge.challenge,
          number: number,
          salt: challenge.salt,
          signature: challenge.signature,
        };
        form.elements.altcha.value = btoa(JSON.stringify(payload));
        return;
      }
    }
    throw new Error('no solution');
  }

  solve().then(
    () => {
      button.disabled = false;
      if (status) status.textContent = 'Ready: you can join the queue.';
    },
    () => {
      if (status)
        status.textContent = 'The puzzle could not be solved: reload the page to try again.';
    },
  );
})();
