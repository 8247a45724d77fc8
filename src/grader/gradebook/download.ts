/**
 * Save what the browser holds as a file: an object URL on a link that is clicked and
 * revoked, so the bytes come from the request that already went through ServerConnection
 * (token, XSRF), never from a URL that would need them.
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has taken the bytes by the time a task later runs.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
