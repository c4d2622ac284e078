import { describe, expect, it, vi } from 'vitest';
import { createFakeApi, fakeEvents, jobEvent } from '../../test/fakeApi';
import { JobEvents, percentOf } from './events.svelte';

describe('JobEvents', () => {
  it('subscribes once and keeps each job\'s last event', () => {
    const bus = fakeEvents();
    const api = createFakeApi({ on: vi.fn(bus.on) });
    const events = new JobEvents(api);
    const off = events.attach();
    const again = events.attach();
    expect(api.on).toHaveBeenCalledTimes(2);
    again();
    bus.emit('job:progress', jobEvent({ jobId: 'a', done: 10 }));
    bus.emit('job:progress', jobEvent({ jobId: 'b', done: 5 }));
    bus.emit('job:progress', jobEvent({ jobId: 'a', done: 20 }));
    expect(events.progressOf('a')?.done).toBe(20);
    expect(events.running.map((e) => e.jobId)).toEqual(['b', 'a']);
    expect(events.latest?.jobId).toBe('a');
    bus.emit('job:finished', jobEvent({ jobId: 'a', status: 'done', done: 120 }));
    expect(events.progressOf('a')).toBeNull();
    expect(events.finishedOf('a')?.done).toBe(120);
    expect(events.running.map((e) => e.jobId)).toEqual(['b']);
    // A progress event after the end: the job runs again (a resume).
    bus.emit('job:progress', jobEvent({ jobId: 'a', done: 30 }));
    expect(events.finishedOf('a')).toBeNull();
    expect(events.progressOf('a')?.done).toBe(30);
    off();
    bus.emit('job:progress', jobEvent({ jobId: 'c' }));
    expect(events.progressOf('c')).toBeNull();
  });

  it('tells listeners and forgets the oldest jobs', () => {
    const events = new JobEvents(createFakeApi());
    events.keep = 2;
    const seen: string[] = [];
    const stop = events.listen((e, final) => seen.push(`${e.jobId}${final ? '!' : ''}`));
    events.update(jobEvent({ jobId: 'a' }), false);
    events.update(jobEvent({ jobId: 'b' }), true);
    stop();
    events.update(jobEvent({ jobId: 'c' }), false);
    expect(seen).toEqual(['a', 'b!']);
    expect(Object.keys(events.entries).sort()).toEqual(['b', 'c']);
  });

  it('says how far a job is', () => {
    expect(percentOf({ done: 30, total: 120, bytesRead: 0, bytesTotal: 0 })).toBe(25);
    expect(percentOf({ done: 0, total: 0, bytesRead: 50, bytesTotal: 200 })).toBe(25);
    expect(percentOf({ done: 0, total: 0, bytesRead: 0, bytesTotal: 0 })).toBeNull();
  });
});
