const KEY = 'warmline.token';

/** The API key, kept in localStorage so both pages and later visits use it. */
export function loadToken(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return ''; // storage disabled: the field still works for this visit
  }
}

export function saveToken(token: string): void {
  try {
    if (token === '') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, token);
  } catch {
    // storage disabled: nothing to keep
  }
}

/**
 * Wires the page's token field: filled from storage; a committed change (Enter, blur) is stored and reported.
 */
export function bindTokenField(input: HTMLInputElement, onChange: (token: string) => void): () => string {
  input.value = loadToken();
  input.addEventListener('change', () => {
    const token = input.value.trim();
    saveToken(token);
    onChange(token);
  });
  return () => input.value.trim();
}
