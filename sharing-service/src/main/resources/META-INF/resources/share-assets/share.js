// The share page (docs/sharing.md): nothing happens until Reveal is pressed; then one view is spent
// (POST /v1/shares/<token>/open) and the ciphertext is decrypted here with the key from the URL fragment,
// which never leaves this browser. Format: base64(nonce[12] || AES-256-GCM ciphertext || tag[16]),
// associated data "strongroom-share-v1:<share id>".
'use strict';
(function () {
  const token = decodeURIComponent(location.pathname.split('/').pop() || '');
  const key = location.hash.length > 1 ? location.hash.slice(1) : '';
  const $ = id => document.getElementById(id);
  const status = (text, error) => { $('status').textContent = text; $('status').className = error ? 'error' : ''; };

  function fromBase64(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  const fromBase64Url = text => fromBase64(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));

  async function decrypt(body) {
    const raw = fromBase64(body.ciphertext);
    const cryptoKey = await crypto.subtle.importKey('raw', fromBase64Url(key), 'AES-GCM', false, ['decrypt']);
    const plain = await crypto.subtle.decrypt({
      name: 'AES-GCM', iv: raw.slice(0, 12), tagLength: 128,
      additionalData: new TextEncoder().encode('strongroom-share-v1:' + body.id)
    }, cryptoKey, raw.slice(12));
    return new TextDecoder().decode(plain);
  }

  const gone = {
    'share-used-up': 'This secret was already viewed as often as its link allows. Ask the sender for a new link.',
    'share-expired': 'This link expired. Ask the sender for a new one.',
    'share-revoked': 'The sender revoked this link.',
    'share-burnt': 'This link was destroyed after too many wrong passphrases.'
  };

  async function reveal(event) {
    event.preventDefault();
    if (!window.crypto || !crypto.subtle) { status('This browser cannot decrypt here (WebCrypto needs HTTPS).', true); return; }
    $('reveal').disabled = true;
    status('Opening…');
    const body = {};
    if (!$('passphrase-row').hidden) body.passphrase = $('passphrase').value;
    let answer, json;
    try {
      answer = await fetch('/v1/shares/' + encodeURIComponent(token) + '/open', {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body),
        cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'
      });
      json = await answer.json();
    } catch (e) {
      status('The server could not be reached; try again.', true);
      $('reveal').disabled = false;
      return;
    }
    const type = (json && json.type || '').split('/').pop();
    if (answer.ok) {
      try {
        $('value').value = await decrypt(json);
        $('result').hidden = false;
        $('open-form').hidden = true;
        $('views-left').textContent = json.viewsLeft === 0
          ? 'That was the last view: the link no longer works.'
          : json.viewsLeft + ' more view(s) allowed.';
        status('Decrypted in your browser.');
      } catch (e) {
        status('The key in this link does not open the secret (was the link cut short?).', true);
      }
      return;
    }
    $('reveal').disabled = false;
    if (answer.status === 403 && (type === 'passphrase-required' || type === 'passphrase-wrong')) {
      $('passphrase-row').hidden = false;
      $('passphrase').focus();
      status(type === 'passphrase-required' ? 'This secret is protected by a passphrase.' : json.detail, type === 'passphrase-wrong');
    } else if (answer.status === 410) {
      $('open-form').hidden = true;
      status(gone[type] || 'This link no longer works.', true);
    } else if (answer.status === 404) {
      $('open-form').hidden = true;
      status('There is no such secret: the link is wrong or has been cleaned up.', true);
    } else if (answer.status === 429) {
      status('Too many tries at once; wait a moment and try again.', true);
    } else {
      status('Something went wrong (' + answer.status + '); try again shortly.', true);
    }
  }

  $('copy').addEventListener('click', () => { $('value').select(); navigator.clipboard && navigator.clipboard.writeText($('value').value); });
  if (!key) {
    $('open-form').hidden = true;
    status('This link is incomplete: the part after # is missing, and without it the secret cannot be decrypted.', true);
  } else {
    $('open-form').addEventListener('submit', reveal);
  }
})();
