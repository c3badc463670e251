import { describe, expect, it } from 'vitest';
import { personMessage, ruleWords } from '../../renderer/src/lib/personWords';

describe('validation errors in a person’s words', () => {
  it('a relative import path names the field as the UI does and says what to do', () => {
    expect(personMessage('library.import', [{ path: 'paths.0', message: 'must be an absolute path' }])).toBe(
      'Folder or file to import: enter the full path of a folder or file, like /home/you/Videos (on Windows, like C:\\Users\\you\\Videos).',
    );
    expect(personMessage('library.import', [{ path: 'paths', message: 'Too small: expected array to have >=1 items' }])).toBe('Folder or file to import: enter at least one folder or file.');
  });

  it('known fields get their label, unknown ones a readable name; zod rules become sentences', () => {
    expect(personMessage('monitor.setSettings', [{ path: 'settings.smtp.port', message: 'Too big: expected number to be <=65535' }, { path: 'settings.smtp.from', message: 'x' }])).toBe(
      'SMTP port: enter a port number from 1 to 65535 (587 for STARTTLS, 465 for TLS) (and 1 more to fix).',
    );
    expect(personMessage('library.search', [{ path: 'filters.minRating', message: 'Too big: expected number to be <=5' }])).toBe('Min rating: must be at most 5.');
    expect(ruleWords('Too small: expected string to have >=1 characters')).toBe('needs at least 1 character');
    expect(ruleWords('Invalid input: expected string, received undefined')).toBe('is required');
    expect(personMessage('x', [])).toBeNull();
    expect(personMessage('x', 'nonsense')).toBeNull();
  });
});
