/** Reading user-chosen files in the sandboxed renderer: bytes as base64, so the core decodes BOMs and UTF-16 itself. */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) bin += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(bin);
}

export const MAX_IMPORT_BYTES = 6 * 1024 * 1024;
