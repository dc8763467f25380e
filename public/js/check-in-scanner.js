// Check-in page: "Scan with camera" where the browser can read QR codes (BarcodeDetector).
// Typing the reference always works; this only fills the field and submits the form.
(function () {
  'use strict';

  var form = document.querySelector('[data-check-in-form]');
  var button = form && form.querySelector('[data-scan]');
  var video = form && form.querySelector('[data-scanner-video]');
  if (!button || !video || !('BarcodeDetector' in window) || !navigator.mediaDevices) return;

  var input = form.querySelector('input[name="reference"]');
  var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
  var stream = null;

  // A ticket's QR code is the check-in link with ?reference=…; a bare reference works too.
  function referenceIn(text) {
    try {
      var fromLink = new URL(text).searchParams.get('reference');
      if (fromLink) return fromLink;
    } catch (notALink) {
      // not a URL: the code is the reference itself
    }
    return text;
  }

  function stop() {
    if (stream)
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    stream = null;
    video.hidden = true;
  }

  function scan() {
    if (!stream) return;
    detector
      .detect(video)
      .then(function (codes) {
        if (codes.length === 0) return window.requestAnimationFrame(scan);
        input.value = referenceIn(codes[0].rawValue).trim().toUpperCase();
        stop();
        form.submit();
      })
      .catch(function () {
        window.requestAnimationFrame(scan);
      });
  }

  button.hidden = false;
  button.addEventListener('click', function () {
    if (stream) return stop();
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(function (camera) {
        stream = camera;
        video.srcObject = camera;
        video.hidden = false;
        return video.play();
      })
      .then(scan)
      .catch(function () {
        stop();
        input.focus();
      });
  });
})();
