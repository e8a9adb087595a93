// "Kopiér link" under an article. Without JavaScript it is a plain link to
// the article; here it copies the address instead and says so in its live
// region (role="status": read politely, after what the reader hears now).
'use strict';

(() => {
  const link = document.querySelector('[data-copy-link]');
  const status = document.querySelector('[data-copy-status]');
  if (!link || !status || !navigator.clipboard) return;
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    // Emptied first, so copying twice is announced twice.
    status.textContent = '';
    try {
      await navigator.clipboard.writeText(link.href);
      status.textContent = 'Linket er kopieret.';
    } catch {
      status.textContent = 'Linket kunne ikke kopieres. Kopiér adressen fra browserens adresselinje.';
    }
  });
})();
