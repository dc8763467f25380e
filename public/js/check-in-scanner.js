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
        // The ticket's link, as a handheld scanner would type it: the form reads the reference out.
        input.value = codes[0].rawValue;
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
