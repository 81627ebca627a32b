/* global document, location, URLSearchParams -- a browser script. */
// The card shows the character named in this page's address, if any (before the widget loads).
// A file rather than an inline script: the pages' Content-Security-Policy allows scripts from
// this origin only.
{
  const requested = new URLSearchParams(location.search).get('name');
  if (requested) document.getElementById('card').setAttribute('name', requested);
}
