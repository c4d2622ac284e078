// Package schedule says when scheduled exports and deletes run, and runs
// them.
//
// In: a spec typed by the user — "once 2026-12-01T02:00", "daily 02:00",
// "weekly mon,thu 02:00", "monthly 1 02:00" — with an optional IANA zone
// ("… Asia/Shanghai"; without one the computer's zone, stored by name so a
// laptop that travels keeps the customer's zone). Out: a Spec that gives its
// next run times (Next, Upcoming), its words in English and Chinese
// (Describe), and its canonical text (String) for the store.
//
// The rules of the time math, all in the spec's zone:
//   - monthly 29, 30 or 31 runs on the month's last day in shorter months;
//   - a time that does not exist on a spring-forward day runs at the first
//     minute after the gap (02:30 → 03:00 in America/New_York);
//   - a time that occurs twice on a fall-back day runs once, at the first;
//   - "once" at a time already past is refused.
//
// The Runner drives runs from the wall clock, never from timers on the
// monotonic clock (which stops while a laptop sleeps): it compares the time
// with each enabled schedule's stored next run, claims a due run by a
// compare-and-set on the schedule's row so that exactly one process starts
// it, runs a missed run once however many were missed (marked caught up),
// and skips a run whose previous run is still going. What a run starts is up
// to the Launcher registered for the schedule's kind (export, delete).
//
// Errors: bad specs give *apperr.Error code Invalid with the reason and at
// most ~100 characters of the input; a schedule that is unknown gives
// NotFound; one whose previous run still goes gives Conflict (RunNow).
package schedule
