import { describe, expect, it } from 'vitest';
import { actorWords, describeActivity, outcomeWords } from '../../renderer/src/features/system/activityWords';

const entry = (action: string, input: unknown) => ({ action, input: JSON.stringify(input) });

describe('recent activity in words', () => {
  it('says what a bulk edit did, to how many videos, and what changed', () => {
    expect(describeActivity(entry('library.bulkUpdate', { ids: [1, 2, 3], addTags: ['live'], removeTags: ['draft'], rating: 4 }))).toEqual({
      what: 'Library: 3 videos edited',
      item: 'tags +live −draft · rating 4',
      videoId: null,
    });
    expect(describeActivity(entry('library.bulkUpdate', { ids: [7], favourite: true })).videoId).toBe(7);
  });

  it('names the item: a video, a job, a collection, an agent', () => {
    expect(describeActivity(entry('library.update', { id: 12, patch: { title: 'x' } }))).toEqual({ what: 'Library: 1 video edited', item: 'video #12 (title)', videoId: 12 });
    expect(describeActivity(entry('jobs.cancel', { id: 4 }))).toMatchObject({ what: 'Jobs: job cancelled', item: 'job #4' });
    expect(describeActivity(entry('library.createCollection', { name: 'Morning' }))).toMatchObject({ item: '“Morning”' });
    expect(describeActivity(entry('lab.pauseAgent', { name: 'alpha', paused: true }))).toMatchObject({ what: 'Lab: agent paused', item: 'alpha' });
  });

  it('covers the actions the studio writes itself, and words an unknown one from its name', () => {
    expect(describeActivity(entry('killswitch.report (before power-off)', { runId: 3 }))).toMatchObject({ what: 'Kill switch: run finished before power-off', item: 'run #3' });
    expect(describeActivity(entry('monitor.alert.fired', { title: 'GPU hot' }))).toMatchObject({ what: 'Monitor: alert fired', item: 'GPU hot' });
    expect(describeActivity(entry('mcp.search_library', {}))).toMatchObject({ what: 'MCP: an agent used search_library' });
    expect(describeActivity(entry('library.someNewThing', {})).what).toBe('Library: some new thing');
    expect(describeActivity({ action: 'jobs.pause', input: 'not json' }).what).toBe('Jobs: queue paused');
  });

  it('never shows a raw request name', () => {
    for (const a of ['library.bulkUpdate', 'library.update', 'stripe.sync', 'backup.run', 'jobs.enqueue', 'preferences.set']) {
      expect(describeActivity(entry(a, {})).what).not.toContain(a);
    }
  });

  it('says who and how it ended', () => {
    expect(actorWords('web')).toBe('You (browser)');
    expect(actorWords('agent:alpha')).toBe('Lab agent alpha');
    expect(outcomeWords(true, null)).toBe('done');
    expect(outcomeWords(false, 'FORBIDDEN')).toBe('refused: not allowed');
  });
});
