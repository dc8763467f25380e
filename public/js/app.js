// Progressive enhancement only: every page works without JavaScript.
(function () {
  'use strict';

  // Forms marked data-confirm ask before submitting (e.g. deleting an event).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // A hold's deadline (data-countdown) also counts down; the page states the time without it.
  document.querySelectorAll('time[data-countdown]').forEach(function (time) {
    var deadline = Date.parse(time.getAttribute('datetime'));
    var left = document.createElement('span');
    left.className = 'countdown';
    left.setAttribute('aria-live', 'off');
    time.after(left);
    function tick() {
      var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(seconds / 60);
      left.textContent =
        seconds > 0
          ? ' (' + minutes + ':' + String(seconds % 60).padStart(2, '0') + ' left)'
          : ' (time is up)';
      if (seconds > 0) setTimeout(tick, 1000);
    }
    tick();
  });

  // Buy form: as many "Name on ticket" fields as tickets chosen (all of them show without
  // JavaScript): by the type's quantity, or for a seated type by its seats picked or asked for.
  document.querySelectorAll('[data-ticket-names]').forEach(function (fieldset) {
    var type = fieldset.getAttribute('data-ticket-names');
    var form = fieldset.closest('form');
    var quantity = document.getElementById('qty-' + type);
    var best = document.getElementById('best-' + type);
    var seats = form.querySelectorAll('input[name="seats[]"][data-type="' + type + '"]');
    function chosen() {
      if (quantity) return Number(quantity.value) || 0;
      var count = best ? Number(best.value) || 0 : 0;
      seats.forEach(function (seat) {
        if (seat.checked) count++;
      });
      return count;
    }
    function fit() {
      var count = chosen();
      fieldset.hidden = count === 0;
      fieldset.querySelectorAll('.field').forEach(function (field, index) {
        field.hidden = index >= count;
        field.querySelector('input').disabled = index >= count;
      });
    }
    form.addEventListener('change', fit);
    fit();
  });

  // Buy form: a click on a drawn seat ticks its box in the list; the order's total, live.
  var total = document.querySelector('[data-order-total]');
  var buyForm = total && total.closest('form');
  if (buyForm) {
    var money = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: total.getAttribute('data-currency'),
    });
    var showTotal = function () {
      var cents = 0;
      buyForm.querySelectorAll('input[data-price]:checked').forEach(function (box) {
        cents += Number(box.getAttribute('data-price'));
      });
      buyForm.querySelectorAll('select[data-price]').forEach(function (select) {
        cents += (Number(select.value) || 0) * Number(select.getAttribute('data-price'));
      });
      total.hidden = cents === 0;
      total.textContent = 'Total: ' + money.format(cents / 100);
    };
    buyForm.addEventListener('change', function (event) {
      var box = event.target;
      if (box.name === 'seats[]') {
        var seat = buyForm.querySelector('circle[data-seat="' + box.value + '"]');
        if (seat) seat.classList.toggle('seat-picked', box.checked);
      }
      showTotal();
    });
    buyForm.querySelectorAll('circle.seat-free').forEach(function (seat) {
      seat.addEventListener('click', function () {
        var box = buyForm.querySelector(
          'input[name="seats[]"][value="' + seat.getAttribute('data-seat') + '"]',
        );
        if (!box) return;
        box.checked = !box.checked;
        box.dispatchEvent(new Event('change', { bubbles: true }));
      });
    });
    showTotal();
  }

  // Event form: add and remove ticket-type rows.
  var container = document.querySelector('[data-ticket-type-rows]');
  var addButton = document.querySelector('[data-add-row]');
  if (!container || !addButton) return;

  function nextIndex() {
    var max = -1;
    container.querySelectorAll('input[name^="ticketTypes["]').forEach(function (input) {
      var match = /^ticketTypes\[(\d+)\]/.exec(input.name);
      if (match) max = Math.max(max, Number(match[1]));
    });
    return max + 1;
  }

  function reindex(row, index) {
    row.querySelectorAll('input, label').forEach(function (el) {
      if (el.name) el.name = el.name.replace(/^ticketTypes\[\d+\]/, 'ticketTypes[' + index + ']');
      if (el.id) el.id = el.id.replace(/^tt-\d+-/, 'tt-' + index + '-');
      if (el.htmlFor) el.htmlFor = el.htmlFor.replace(/^tt-\d+-/, 'tt-' + index + '-');
    });
  }

  addButton.hidden = false;
  addButton.addEventListener('click', function () {
    var rows = container.querySelectorAll('[data-ticket-type-row]');
    var row = rows[rows.length - 1].cloneNode(true);
    row.querySelectorAll('input').forEach(function (input) {
      if (input.type === 'hidden') input.remove();
      else if (input.type === 'checkbox') input.checked = false;
      else input.value = '';
      input.removeAttribute('aria-invalid');
    });
    row.querySelectorAll('.field-error').forEach(function (el) {
      el.remove();
    });
    row.querySelectorAll('.muted').forEach(function (el) {
      el.remove();
    });
    reindex(row, nextIndex());
    container.appendChild(row);
    row.querySelector('input').focus();
  });

  container.addEventListener('click', function (event) {
    var button = event.target.closest('[data-remove-row]');
    if (!button) return;
    var row = button.closest('[data-ticket-type-row]');
    if (container.querySelectorAll('[data-ticket-type-row]').length > 1) row.remove();
    else
      row.querySelectorAll('input:not([type=hidden])').forEach(function (input) {
        input.value = '';
      });
  });
})();
